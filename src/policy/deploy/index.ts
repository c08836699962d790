import type { Rule } from "../types";
import { asgGraceRule, asgVolumeKeyRule, launchTemplateArchRule } from "./awsCompute";
import { serviceTrustRule } from "./awsIam";
import { rdsGroupsFitEngineRule, rdsInsightsClassRule } from "./awsData";
import { alarmMetricRule } from "./awsMonitoring";
import { sessionMultiAzRule } from "./awsSessions";
import { balancerReachesTargetsRule } from "./awsNetwork";
import { efsArchiveRule, lifecycleEmptyFilterRule, lifecycleSmallObjectsRule } from "./awsStorage";
import { grantPropagationRule } from "./azureAccess";
import { repairGraceRule, richHealthNeedsJsonRule } from "./azureCompute";
import { imageArchRule, osDiskFitsImageRule, trustedLaunchSizeRule } from "./azureComputeSizes";
import { gatewayAutoscaleBoundsRule, gatewayReachesBackendsRule } from "./azureGateway";
import { mysqlVersionedKeyRule, recoveryVaultCmkRule } from "./azureData";
import { appGatewayPerformanceLogRule, tableRetentionRule } from "./azureMonitoring";
import { lockOverPrunedSnapshotsRule, premiumShareQuotaRule } from "./azureStorage";
import { flowLogWatcherRule, nsgPluralFieldsRule } from "./azureNetwork";
import { featureRegisteredRule, providerRegisteredRule } from "./azurePlatform";
import { bootMountPointRule } from "./bootScript";

/** Every deploy rule: what the clouds and providers do with what the program declares. */
export const deployRules: readonly Rule[] = [
    bootMountPointRule,
    asgGraceRule,
    asgVolumeKeyRule,
    launchTemplateArchRule,
    serviceTrustRule,
    alarmMetricRule,
    balancerReachesTargetsRule,
    lifecycleEmptyFilterRule,
    lifecycleSmallObjectsRule,
    efsArchiveRule,
    rdsGroupsFitEngineRule,
    rdsInsightsClassRule,
    nsgPluralFieldsRule,
    gatewayReachesBackendsRule,
    flowLogWatcherRule,
    grantPropagationRule,
    providerRegisteredRule,
    featureRegisteredRule,
    richHealthNeedsJsonRule,
    repairGraceRule,
    recoveryVaultCmkRule,
    mysqlVersionedKeyRule,
    appGatewayPerformanceLogRule,
    premiumShareQuotaRule,
    lockOverPrunedSnapshotsRule,
    imageArchRule,
    trustedLaunchSizeRule,
    osDiskFitsImageRule,
    gatewayAutoscaleBoundsRule,
    tableRetentionRule,
    sessionMultiAzRule,
];
