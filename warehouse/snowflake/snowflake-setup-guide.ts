import type { SnowflakeLocation } from '../../core/index.js';
import type { WarehouseSetupGuide } from '../warehouse.js';

/** What `gmp warehouse setup` says about a Snowflake target besides its statements (no secret). */
export function snowflakeSetupGuide(location: SnowflakeLocation): WarehouseSetupGuide {
  const notes = [
    'Raw tables are never REFRESHed: gmp registers each committed file with ADD FILES and removes superseded ones after every commit.',
  ];
  if (location.storageAwsRoleArn === undefined) {
    notes.push(
      `SNOWFLAKE_STORAGE_AWS_ROLE_ARN is not set: the storage integration ${location.storageIntegration} must exist already ` +
        '(an ACCOUNTADMIN creates it, or set the variable and run setup with a role that may).',
    );
  }
  return {
    target: `snowflake://${location.account}/${location.database}`,
    // The driver's session has the database already; a worksheet needs it first.
    preamble: [`USE DATABASE ${location.database}`],
    notes,
  };
}
