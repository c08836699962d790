import type { PriceCatalog } from "../types";
import { price, scaled } from "./price";

/**
 * AWS us-east-1 on-demand prices, from /work/shared/facts/prices.md §2.1 (sources there).
 * RDS instance prices are single-AZ per hour: the rule bills Multi-AZ as two instances.
 */
const golden = "Infracost golden test (live price API)";
const toolkit = "aws/agent-toolkit-for-aws static table + independent tables";

const t3Large = price(0.0832, "hour", "verified", `${golden} instance_test`, "2024-07");
const m6iLarge = price(0.096, "hour", "verified", `${golden} (m6i.large $70.08)`, "2024-07");
const r6gLarge = price(0.218, "hour", "corroborated", `${toolkit} (0.216-0.226)`, "2026");
const review = "cost-review.md (a), 2026-12: many independent static tables, all equal";
const t4gLarge = price(0.0672, "hour", "corroborated", review, "2026");
const m7gLarge = price(0.0816, "hour", "corroborated", review, "2026");
// db.t4g.small Multi-AZ $47.45 a month in the golden = $0.0325/h single-AZ; large = 4 x small.
const dbT4gLarge = price(0.129, "hour", "corroborated", `${toolkit} 0.129; ${golden} db_instance_test (db.t4g.small Multi-AZ $47.45) x 4`, "2026-07");
const m6gLarge = price(0.154, "hour", "corroborated", `${toolkit} (0.152-0.159)`, "2026");

export const awsUsEast1: PriceCatalog = {
    cloud: "aws",
    region: "us-east-1",
    currency: "USD",
    hoursPerMonth: 730,
    date: "2026-08-21",
    prices: {
        // Web servers: every type instanceCatalog.aws.web can pick, cheapest first (arm64, x86_64).
        "ec2:t4g.medium": scaled(t4gLarge, 0.5, "t4g.large"),
        "ec2:t4g.large": t4gLarge,
        "ec2:t4g.xlarge": scaled(t4gLarge, 2, "t4g.large"),
        "ec2:t4g.2xlarge": scaled(t4gLarge, 4, "t4g.large"),
        "ec2:m7g.4xlarge": scaled(m7gLarge, 8, "m7g.large"),
        "ec2:m7g.8xlarge": scaled(m7gLarge, 16, "m7g.large"),
        "ec2:m7g.large": m7gLarge,
        "ec2:t3.medium": price(0.0416, "hour", "verified", `${golden} instance_test/eip_test`, "2024-07"),
        "ec2:t3.large": t3Large,
        "ec2:t3.xlarge": scaled(t3Large, 2, "t3.large"),
        "ec2:t3.2xlarge": scaled(t3Large, 4, "t3.large"),
        "ec2:m6i.4xlarge": scaled(m6iLarge, 8, "m6i.large"),
        "ec2:m6i.8xlarge": scaled(m6iLarge, 16, "m6i.large"),
        "ec2:m6i.large": m6iLarge,
        "ec2:m5.large": price(0.096, "hour", "verified", `${golden} (several)`, "2024-07"),
        // Database: every class instanceCatalog.aws.db can pick, cheapest first, then the article's.
        "rds-mysql:db.t4g.medium": scaled(dbT4gLarge, 0.5, "db.t4g.large"),
        "rds-mysql:db.t4g.large": dbT4gLarge,
        "rds-mysql:db.t3.medium": price(0.068, "hour", "corroborated", "AWS-owned table 0.068; half of verified db.t3.large", "2026-05"),
        "rds-mysql:db.t3.large": price(0.136, "hour", "verified", `${golden} db_instance_test`, "2026-05"),
        "rds-mysql:db.r6g.large": r6gLarge,
        "rds-mysql:db.m6g.xlarge": scaled(m6gLarge, 2, "db.m6g.large"),
        "rds-mysql:db.r6g.xlarge": scaled(r6gLarge, 2, "db.r6g.large"),
        "rds-mysql:db.m6g.2xlarge": scaled(m6gLarge, 4, "db.m6g.large"),
        "rds-mysql:db.r6g.2xlarge": scaled(r6gLarge, 4, "db.r6g.large"),
        "rds-mysql:db.m6g.large": m6gLarge,
        "rds-mysql:db.m5.large": price(0.171, "hour", "verified", `${golden} db_instance_test`, "2026-05"),
        "rds-mysql:db.r5.large": price(0.24, "hour", "corroborated", `${toolkit} (outliers 0.25/0.252)`, "2026"),
        "rds:gp3-storage": price(0.115, "GB-month", "verified", `${golden} db_instance_test`, "2026-05"),
        // AWS bills the standby's storage too (RDS "On-Demand DB instances" doc).
        // Years 1-2 (2026-08-01 to 2028-07-31); $0.20 from 2028-08-01. Billed on the standby too.
        "rds:extended-support-vcpu-hour": price(0.1, "vCPU-hour", "verified", `${golden} db_instance_test (us-east-1 Yr1-Yr2, $146 for 1,460 vCPU-h); AWS doc "Amazon RDS Extended Support charges"`, "2026-05-03"),
        "rds:gp3-storage-multi-az": price(0.23, "GB-month", "verified", `${golden} (400 GB Multi-AZ = $92)`, "2026-05"),
        // Node-based Valkey is billed 20% below Redis OSS for the same node ("20% lower price on
        // ElastiCache node-based as compared to other supported engines", ElastiCache pricing page,
        // quoted with AWS Price List readings of 2026-09/10 where Valkey is exactly 0.8 x Redis OSS
        // for cache.t4g.micro: Seoul $0.0192/$0.024, Tokyo $0.020/$0.025, London $0.0144/$0.018).
        // cache.t4g.micro Redis OSS in us-east-1 is $0.016 in three independent readings of public
        // on-demand rates (billing-data SQL `pricing_public_on_demand_rate=0.016`, a 2026-09-05 test
        // fixture, an instance table), and a us-east-2 list-price worksheet (same price as us-east-1)
        // gives Valkey $9.34 / 730 h = $0.0128. No vendor page read for us-east-1 itself. Serverless
        // Valkey for comparison (not used: cluster mode only, src/aws/sessionTier.ts): $0.084/GB-hour
        // with a 100 MB minimum (usage.ai 2026-06 citing AWS; cur.vantage.sh "100 MB for Valkey") = $6.13/month.
        "elasticache-valkey:cache.t4g.micro": price(0.0128, "hour", "corroborated", "Redis OSS $0.016 (3 readings of the public on-demand rate) less the documented 20%; us-east-2 worksheet $9.34/month", "2026-10"),
        "ebs:gp3-gb": price(0.08, "GB-month", "verified", `${golden} ebs_volume_test`, "2024-07"),
        "alb:hour": price(0.0225, "hour", "verified", `${golden} lb_test`, "2024-07"),
        "alb:lcu-hour": price(0.008, "LCU-hour", "verified", `${golden} lb_test`, "2024-07"),
        "nat:hour": price(0.045, "hour", "verified", `${golden} nat_gateway_test`, "2024-07"),
        "nat:gb": price(0.045, "GB", "verified", `${golden} nat_gateway_test`, "2024-07"),
        // Every public IPv4 since 2024-02-01, attached or idle; Infracost still prices attached EIPs at $0.
        "public-ipv4:hour": price(0.005, "hour", "corroborated", "AWS announcement quoted by several pages; AmazonVPC PublicIPv4 usagetype", "2024-02"),
        "s3:standard-gb": price(0.023, "GB-month", "verified", `${golden} s3_bucket_test (first 50 TB)`, "2024-07"),
        "s3:standard-ia-gb": price(0.0125, "GB-month", "verified", `${golden} s3_bucket_test`, "2024-07"),
        "s3:glacier-ir-gb": price(0.004, "GB-month", "corroborated", "cost-review.md (a): usage.ai S3 storage class table (US East)", "2026-06-05"),
        "efs:standard-gb": price(0.3, "GB-month", "verified", golden, "2024-07"),
        "efs:ia-gb": price(0.016, "GB-month", "corroborated", "cost-review.md (a): EFS Infrequent Access, us-east-1", "2026"),
        "efs:archive-gb": price(0.008, "GB-month", "corroborated", "cost-review.md (a): EFS Archive, us-east-1", "2026"),
        "backup:efs-warm-gb": price(0.05, "GB-month", "corroborated", "cost-review.md (a): cloudburn.io guide citing the us-east-1 page; factualminds (2026-06)", "2026-06"),
        "backup:rds-snapshot-gb": price(0.095, "GB-month", "verified", `${golden} backup_vault_test (RDS snapshot) and db_instance_test (additional backup storage)`, "2026-05"),
        "cloudwatch:logs-ingest-gb": price(0.5, "GB", "verified", golden, "2024-07"),
        "cloudwatch:logs-stored-gb": price(0.03, "GB-month", "verified", golden, "2024-07"),
        "cloudwatch:metric": price(0.3, "metric-month", "verified", `${golden} (EC2 detailed monitoring, 7 metrics = $2.10)`, "2024-07"),
        "cloudwatch:alarm": price(0.1, "alarm-month", "verified", golden, "2024-07"),
        "kms:key": price(1, "key-month", "verified", golden, "2024-07"),
        "kms:10k-requests": price(0.03, "10k requests", "verified", golden, "2024-07"),
        "secretsmanager:secret": price(0.4, "secret-month", "verified", golden, "2024-07"),
        "waf:acl": price(5, "ACL-month", "verified", golden, "2024-07"),
        "waf:rule": price(1, "rule-month", "verified", golden, "2024-07"),
        "waf:1m-requests": price(0.6, "1M requests", "verified", golden, "2024-07"),
        "cloudtrail:100k-data-events": price(0.1, "100k events", "verified", `${golden} cloudtrail_test`, "2024-07"),
        "transfer:internet-gb": price(0.09, "GB", "verified", `${golden} data_transfer_test (first 10 TB)`, "2024-09"),
        "transfer:cross-az-gb": price(0.01, "GB", "verified", `${golden} data_transfer_test (each direction)`, "2024-09"),
    },
};
