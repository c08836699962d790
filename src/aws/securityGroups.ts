import * as ec2 from "@pulumi/aws/ec2";
import * as vpcRules from "@pulumi/aws/vpc";
import * as pulumi from "@pulumi/pulumi";
import { healthPort } from "../app/healthCheck";

/** The security group of each tier; every rule names its peer group, never a wide CIDR inside the VPC. */
export interface TierSecurityGroups {
    /** The load balancer: 443 and 80 (redirected) from the allowed clients. */
    alb: pulumi.Output<string>;
    /** The web servers: 80 and the health port from the load balancer only. */
    web: pulumi.Output<string>;
    /** The database: 3306 from the web servers only. */
    db: pulumi.Output<string>;
    /** The shared file system: NFS (2049) from the web servers only. */
    files: pulumi.Output<string>;
}

/** `suffix` tells apart a second rule between the same two groups (the first keeps its name, so its resources stay). */
type Rule = { from: string; to: string; port: number; description: string; suffix?: string };

/**
 * Declares the groups and their rules as standalone rule resources (the v7 way), so groups can
 * reference each other without a cycle and a rule change never replaces a group.
 */
export function securityGroups(name: string, vpc: ec2.Vpc, allowedCidrs: string[], tags: Record<string, string>): TierSecurityGroups {
    const group = (role: keyof TierSecurityGroups, description: string) =>
        new ec2.SecurityGroup(
            `${name}-${role}-sg`,
            { vpcId: vpc.id, description, revokeRulesOnDelete: true, tags: { ...tags, Name: `${name}-${role}` } },
            { parent: vpc },
        );
    const groups = {
        alb: group("alb", "EMR load balancer"),
        web: group("web", "EMR web servers"),
        db: group("db", "EMR database"),
        files: group("files", "EMR shared file system"),
    };

    allowedCidrs.forEach((cidr, i) =>
        [443, 80].forEach((port) =>
            new vpcRules.SecurityGroupIngressRule(
                `${name}-alb-in-${port}-${i}`,
                { securityGroupId: groups.alb.id, cidrIpv4: cidr, ipProtocol: "tcp", fromPort: port, toPort: port, description: `clients ${port === 80 ? "(redirected to https)" : "https"}` },
                { parent: groups.alb },
            ),
        ),
    );
    const peerRules: Rule[] = [
        { from: "alb", to: "web", port: 80, description: "load balancer to web servers" },
        { from: "alb", to: "web", port: healthPort, description: "load balancer health checks (servers' readiness endpoint)", suffix: "-health" },
        { from: "web", to: "db", port: 3306, description: "web servers to MySQL (TLS required by the server)" },
        { from: "web", to: "files", port: 2049, description: "web servers to the shared file system (TLS)" },
    ];
    for (const rule of peerRules) {
        const from = groups[rule.from as keyof TierSecurityGroups];
        const to = groups[rule.to as keyof TierSecurityGroups];
        const common = { ipProtocol: "tcp", fromPort: rule.port, toPort: rule.port, description: rule.description };
        new vpcRules.SecurityGroupEgressRule(`${name}-${rule.from}-to-${rule.to}${rule.suffix ?? ""}`, { ...common, securityGroupId: from.id, referencedSecurityGroupId: to.id }, { parent: from });
        new vpcRules.SecurityGroupIngressRule(`${name}-${rule.to}-from-${rule.from}${rule.suffix ?? ""}`, { ...common, securityGroupId: to.id, referencedSecurityGroupId: from.id }, { parent: to });
    }
    // Boot needs https out (packages, the container registry, Secrets Manager) through the NAT.
    new vpcRules.SecurityGroupEgressRule(
        `${name}-web-out-https`,
        { securityGroupId: groups.web.id, cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: 443, toPort: 443, description: "https to AWS APIs, packages and the image registry" },
        { parent: groups.web },
    );
    return { alb: groups.alb.id, web: groups.web.id, db: groups.db.id, files: groups.files.id };
}
