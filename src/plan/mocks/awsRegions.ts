/**
 * What the AWS mock answers differently per region, so a stack in any real region plans as it
 * would deploy there.
 */

/**
 * Zone letters where a region's zones are not simply a, b, c (AWS: "each Region has a minimum of
 * three Availability Zones"). From jsonmaur/aws-regions js/regions.json (commit 105e76a), which
 * lists each region's zones and, where an account sees fewer, `zone_limit`. The mock applies the
 * limit of us-west-1 (2: a 3-zone stack cannot be built there; every listing agrees) and of
 * ap-northeast-1 (3), not its sa-east-1 limit of 2, which no other listing shows and which would
 * refuse a 3-zone stack there on a guess. Which physical zone a letter names differs per account;
 * what the plan needs is how many zones there are.
 */
const zoneLetters: Record<string, string> = {
    "us-east-1": "abcdef",
    "us-west-1": "ab",
    "us-west-2": "abcd",
    "ca-central-1": "abcd",
    "ap-northeast-1": "abc",
    "ap-northeast-2": "abcd",
};

/** The zone names `ec2:DescribeAvailabilityZones` lists for the region (opt-in-not-required zones). */
export const awsZoneNames = (region: string): string[] => [...(zoneLetters[region] ?? "abc")].map((l) => `${region}${l}`);

/**
 * Zone ids are named after the region's short code: use1-az1 (us-east-1), euc1-az1 (eu-central-1),
 * apne1-az4 (ap-northeast-1): each direction word by its initials (AWS RAM docs, "AZ IDs for your
 * AWS resources").
 */
const directionCodes: Record<string, string> = { northeast: "ne", southeast: "se", northwest: "nw", southwest: "sw", north: "n", south: "s", east: "e", west: "w", central: "c", gov: "g" };
export function awsZoneIds(region: string): string[] {
    const [area, ...rest] = region.split("-");
    const short = area + rest.map((p) => directionCodes[p] ?? p).join("");
    return awsZoneNames(region).map((_, i) => `${short}-az${i + 1}`);
}

/**
 * The ELB log-delivery account per region, as the provider answers `aws.elb.getServiceAccount`:
 * hashicorp/terraform-provider-aws internal/service/elb/service_account_data_source.go
 * (accountIDPerRegionMap). Any other region (those opened after August 2022 deliver logs as the
 * service principal instead) is refused there with "unsupported AWS Region: <region>".
 */
const elbLogAccounts: Record<string, string> = {
    "af-south-1": "098369216593",
    "ap-east-1": "754344448648",
    "ap-northeast-1": "582318560864",
    "ap-northeast-2": "600734575887",
    "ap-northeast-3": "383597477331",
    "ap-south-1": "718504428378",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-southeast-3": "589379963580",
    "ca-central-1": "985666609251",
    "cn-north-1": "638102146993",
    "cn-northwest-1": "037604701340",
    "eu-central-1": "054676820928",
    "eu-north-1": "897822967062",
    "eu-south-1": "635631232127",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-west-3": "009996457667",
    "me-south-1": "076674570225",
    "sa-east-1": "507241528517",
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-gov-east-1": "190560391635",
    "us-gov-west-1": "048591011584",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
};

export function elbLogAccount(region: string): string {
    const account = elbLogAccounts[region];
    if (!account) throw new Error(`unsupported AWS Region: ${region}`);
    return account;
}
