import type { Price, PriceCatalog } from "../types";
import { awsUsEast1 } from "./aws-us-east-1";
import { derivedCatalog, type RegionalRatio } from "./derived";
import { price } from "./price";

/**
 * AWS us-west-2, eu-west-1 and eu-central-1, from the us-east-1 catalog. Read at a source: data
 * transfer (Infracost internal/providers/terraform/aws/testdata/data_transfer_test golden,
 * regenerated 2024-09-25: internet egress $0.09 for the first 10 TB and intra-region $0.01 in
 * each of the three). Infracost's other AWS golden files price us-east-1 only, and no per-region
 * reading of the other services was found in the corpora (searched: Infracost goldens, public
 * static price tables, whose region tables disagree with each other by 5-10%). So every other
 * price is the us-east-1 price times the region's ratio for its service, marked "unverified":
 * the ratios are those of the AWS price pages for the instance or meter named (e.g. t3.large
 * $0.0912 in eu-west-1, $0.096 in eu-central-1, against $0.0832), recalled, not re-read.
 */
const date = "2026-12-01";
const transferGolden = "Infracost data_transfer_test golden (live price API)";
const transfer = (region: string): Record<string, Price> => ({
    "transfer:internet-gb": price(0.09, "GB", "verified", `${transferGolden}: ${region} first 10 TB`, "2024-09-25"),
    "transfer:cross-az-gb": price(0.01, "GB", "verified", `${transferGolden}: ${region} intra-region, each direction`, "2024-09-25"),
});

const same = (why: string): RegionalRatio => ({ ratio: 1, basis: why });
const pages = (ratio: number, example: string): RegionalRatio => ({ ratio, basis: `the region's ratio on the AWS price page (${example}); recalled, not re-read` });

// us-west-2 shares us-east-1's price tier for every service priced here.
export const awsUsWest2: PriceCatalog = derivedCatalog(awsUsEast1, "us-west-2", date, { "*": same("us-west-2 lists the us-east-1 price for this service (AWS price pages; recalled, not re-read)") }, transfer("us-west-2"));

const flat = same("assumed equal to us-east-1 (KMS, Secrets Manager, WAF, CloudTrail, public IPv4, CloudWatch metrics and alarms, S3 IA and Glacier IR, RDS Extended Support); not read for this region");

export const awsEuWest1: PriceCatalog = derivedCatalog(
    awsUsEast1,
    "eu-west-1",
    date,
    {
        ec2: pages(1.096, "t3.large $0.0912"),
        "rds-mysql": pages(1.074, "db.t3.large $0.146"),
        rds: pages(1.1, "gp3 storage $0.127"),
        ebs: pages(1.1, "gp3 $0.088"),
        alb: pages(1.12, "ALB hour $0.0252"),
        nat: pages(1.067, "NAT hour and GB $0.048"),
        s3: same("S3 Standard $0.023 in eu-west-1 as in us-east-1 (AWS S3 price page; recalled)"),
        efs: pages(1.1, "EFS Standard $0.33"),
        backup: pages(1.1, "EFS warm backup $0.055"),
        "cloudwatch:logs-ingest-gb": pages(1.14, "logs ingestion $0.57"),
        "*": flat,
    },
    transfer("eu-west-1"),
);

export const awsEuCentral1: PriceCatalog = derivedCatalog(
    awsUsEast1,
    "eu-central-1",
    date,
    {
        ec2: pages(1.154, "t3.large $0.096"),
        "rds-mysql": pages(1.088, "db.t3.large $0.148"),
        rds: pages(1.16, "gp3 storage $0.133"),
        ebs: pages(1.19, "gp3 $0.0952"),
        alb: pages(1.2, "ALB hour $0.027"),
        nat: pages(1.156, "NAT hour and GB $0.052"),
        s3: pages(1.065, "S3 Standard $0.0245"),
        efs: pages(1.2, "EFS Standard $0.36"),
        backup: pages(1.2, "EFS warm backup $0.06"),
        "cloudwatch:logs-ingest-gb": pages(1.26, "logs ingestion $0.63"),
        "*": flat,
    },
    transfer("eu-central-1"),
);
