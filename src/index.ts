import { loadConfig } from "./config";
import { buildEmr } from "./emr";

// Validate the whole stack config before declaring anything: a bad value stops here.
const emr = buildEmr(loadConfig());

export const url = emr.url;
export const zones = emr.zones;
export const dbEndpoint = emr.dbEndpoint;
export const sharedFileSystem = emr.sharedFileSystem;
export const documentsPath = emr.documentsPath;
export const backupTarget = emr.backupTarget;
export const alertTopic = emr.alertTopic;
export const adminPasswordSecret = emr.adminPasswordSecret;
