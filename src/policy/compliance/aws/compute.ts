import { awsResourceRule, hipaa, isTrue, shown } from "./shared";

/**
 * The web servers: the launch template every Auto Scaling instance starts from, and the group.
 * Launch template booleans travel as strings ("true"): @pulumi/aws 7.48.0 types/input.d.ts
 * LaunchTemplateBlockDeviceMappingEbs.encrypted (:36545), LaunchTemplateNetworkInterface.associatePublicIpAddress (:36979).
 */
const launchTemplate = "aws:ec2/launchTemplate:LaunchTemplate";

export const imdsV2Rule = awsResourceRule({
    id: "EMR-AWS-LT-IMDSV2",
    title: "Servers require IMDSv2 session tokens for instance metadata (and so for their role's credentials)",
    severity: "error",
    controls: { hipaa: [hipaa.authentication, hipaa.accessControl], checkov: ["CKV_AWS_79"], cdkNag: ["HIPAA.Security-EC2IMDSv2Enabled"], trivy: ["AVD-AWS-0130"] },
    source: [
        "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html",
        // httpTokens: 'Can be "optional" or "required". (Default: "optional").'
        "@pulumi/aws@7.48.0:types/input.d.ts:36955-36957 LaunchTemplateMetadataOptions.httpTokens",
    ],
    appliesTo: [launchTemplate],
    check({ inputs }) {
        const metadata = inputs.metadataOptions ?? {};
        if (metadata.httpEndpoint === "disabled") return [];
        return metadata.httpTokens === "required"
            ? []
            : [`metadataOptions.httpTokens is ${shown(metadata.httpTokens)}: IMDSv1 answers a plain GET, so one server-side request forgery in the web application hands out the instance role's credentials`];
    },
});

export const imdsHopLimitRule = awsResourceRule({
    id: "EMR-AWS-LT-IMDS-HOP-LIMIT",
    title: "Instance metadata answers the host only (PUT response hop limit 1), not its containers",
    severity: "error",
    controls: { hipaa: [hipaa.accessControl, hipaa.authentication], checkov: ["CKV_AWS_341"] },
    source: [
        // "In a container environment, if the hop limit is 1, the IMDSv2 response does not return because going to the
        // container is considered an additional network hop."
        "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html#imds-considerations",
        // Image.ImdsSupport "v2.0": "Instances launched from this AMI will have HttpTokens automatically set to required ...
        // In addition, HttpPutResponseHopLimit is set to 2." (the Amazon Linux 2023 AMIs are v2.0)
        "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Image.html",
        "@pulumi/aws@7.48.0:types/input.d.ts:36951-36953 LaunchTemplateMetadataOptions.httpPutResponseHopLimit",
    ],
    appliesTo: [launchTemplate],
    check({ inputs }) {
        const metadata = inputs.metadataOptions ?? {};
        if (metadata.httpEndpoint === "disabled") return [];
        return metadata.httpPutResponseHopLimit === 1
            ? []
            : [`metadataOptions.httpPutResponseHopLimit is ${shown(metadata.httpPutResponseHopLimit)} (unset, the AMI's default applies: 2 for Amazon Linux 2023): the OpenEMR container can fetch the server role's credentials; set 1`];
    },
});

export const launchNoPublicIpRule = awsResourceRule({
    id: "EMR-AWS-LT-NO-PUBLIC-IP",
    title: "Servers get no public IP address",
    severity: "error",
    controls: { hipaa: [hipaa.accessControl], checkov: ["CKV_AWS_88"], cdkNag: ["HIPAA.Security-EC2InstanceNoPublicIp", "HIPAA.Security-AutoScalingLaunchConfigPublicIpDisabled"], trivy: ["AVD-AWS-0009"] },
    source: ["https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-instance-addressing.html#concepts-public-addresses", "@pulumi/aws@7.48.0:types/input.d.ts:36976-36979"],
    appliesTo: [launchTemplate],
    check({ inputs }) {
        return ((inputs.networkInterfaces as any[]) ?? [])
            .map((nic, i) => ({ nic, i }))
            .filter(({ nic }) => isTrue(nic.associatePublicIpAddress))
            .map(({ i }) => `networkInterfaces[${i}].associatePublicIpAddress is "true": each server is addressable from the internet, around the load balancer and its firewall`);
    },
});

export const launchEbsEncryptedRule = awsResourceRule({
    id: "EMR-AWS-LT-EBS-ENCRYPTED",
    title: "Servers' volumes are declared and encrypted",
    severity: "error",
    controls: { hipaa: [hipaa.encryptionAtRest], trivy: ["AVD-AWS-0131"] },
    source: ["https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html", "@pulumi/aws@7.48.0:types/input.d.ts:36545 LaunchTemplateBlockDeviceMappingEbs.encrypted"],
    appliesTo: [launchTemplate],
    check({ inputs }) {
        const mappings = ((inputs.blockDeviceMappings as any[]) ?? []).filter((m) => m.ebs);
        if (!mappings.length)
            return ["blockDeviceMappings declares no EBS volume: the root volume takes the AMI snapshot's settings (the public Amazon Linux AMIs are unencrypted) unless the account turned on EBS encryption by default"];
        return mappings
            .filter((m) => !isTrue(m.ebs.encrypted))
            .map((m) => `blockDeviceMappings ${shown(m.deviceName)}: ebs.encrypted is ${shown(m.ebs.encrypted)}: temp uploads, container layers and logs on it are written in clear`);
    },
});

export const launchEbsKeyRule = awsResourceRule({
    id: "EMR-AWS-LT-EBS-CMK",
    title: "Servers' volumes are encrypted with a customer managed key",
    severity: "error",
    controls: { hipaa: [hipaa.encryptionAtRest] },
    source: [
        "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html#ebs-encryption-key",
        // A CMK for Auto Scaling launches must let the group's service-linked role use it (DEPLOY-AWS-ASG-VOLUME-KEY-USABLE).
        "https://docs.aws.amazon.com/autoscaling/ec2/userguide/key-policy-requirements-EBS-encryption.html",
        "@pulumi/aws@7.48.0:types/input.d.ts:36555 LaunchTemplateBlockDeviceMappingEbs.kmsKeyId",
    ],
    appliesTo: [launchTemplate],
    check({ inputs }) {
        return ((inputs.blockDeviceMappings as any[]) ?? [])
            .filter((m) => m.ebs && isTrue(m.ebs.encrypted) && (!m.ebs.kmsKeyId || /alias\/aws\/ebs$/.test(m.ebs.kmsKeyId)))
            .map(
                (m) =>
                    `blockDeviceMappings ${shown(m.deviceName)}: ebs.kmsKeyId is ${shown(m.ebs.kmsKeyId)}, so EC2 uses the AWS managed key aws/ebs (or the account's default key), which the account cannot revoke or restrict per volume`,
            );
    },
});

export const instanceProfileRule = awsResourceRule({
    id: "EMR-AWS-LT-INSTANCE-PROFILE",
    title: "Servers carry an instance profile, so they use short-lived role credentials and never stored keys",
    severity: "error",
    controls: { hipaa: [hipaa.authentication, hipaa.uniqueUser], cdkNag: ["HIPAA.Security-EC2InstanceProfileAttached"] },
    source: ["https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2_instance-profiles.html", "@pulumi/aws@7.48.0:ec2/launchTemplate.d.ts:89"],
    appliesTo: [launchTemplate],
    check({ inputs }) {
        const profile = inputs.iamInstanceProfile ?? {};
        return profile.arn || profile.name
            ? []
            : ["iamInstanceProfile is not set: the servers have no role, so anything they need from AWS (secrets, logs, files) would take a long-lived access key stored on them"];
    },
});

export const asgElbHealthRule = awsResourceRule({
    id: "EMR-AWS-ASG-ELB-HEALTH-CHECK",
    title: "A group behind a load balancer replaces servers the load balancer finds unhealthy (health check type ELB)",
    severity: "error",
    controls: { hipaa: [hipaa.emergencyMode], checkov: ["CKV2_AWS_15"], cdkNag: ["HIPAA.Security-AutoScalingGroupELBHealthCheckRequired"] },
    source: ["https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-health-checks.html", "@pulumi/aws@7.48.0:autoscaling/group.d.ts:548,589,663"],
    appliesTo: ["aws:autoscaling/group:Group"],
    check({ inputs }) {
        const behind = [...(inputs.targetGroupArns ?? []), ...(inputs.loadBalancers ?? [])].length > 0;
        return behind && inputs.healthCheckType !== "ELB"
            ? [`healthCheckType is ${shown(inputs.healthCheckType)} (default EC2) on a group behind a load balancer: a server whose EMR stopped answering keeps running and is never replaced`]
            : [];
    },
});

export const computeRules = [imdsV2Rule, imdsHopLimitRule, launchNoPublicIpRule, launchEbsEncryptedRule, launchEbsKeyRule, instanceProfileRule, asgElbHealthRule];
