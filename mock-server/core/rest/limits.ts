/**
 * `GET /services/data/vNN.0/limits`: the org's limits as Salesforce lists them (names in its
 * alphabetical order, each `{Max, Remaining}`). DailyApiRequests moves with the calls the org made
 * (api-usage.ts); the other counters stay at a Developer Edition org's allocation, untouched.
 */

const l = (max: number, remaining = max) => ({ Max: max, Remaining: remaining });

/** The limits body; `apiMax`/`apiUsed` are the DailyApiRequests allocation and what is spent of it. */
export function limitsBody(apiMax: number, apiUsed: number) {
  return {
    ActiveScratchOrgs: l(3),
    AnalyticsExternalDataSizeMB: l(40_960),
    ConcurrentAsyncGetReportInstances: l(200),
    ConcurrentEinsteinDataInsightsStoryCreation: l(5),
    ConcurrentEinsteinDiscoveryStoryCreation: l(2),
    ConcurrentSyncReportRuns: l(20),
    DailyAnalyticsDataflowJobExecutions: l(60),
    DailyAnalyticsUploadedFilesSizeMB: l(51_200),
    DailyApiRequests: l(apiMax, Math.max(0, apiMax - apiUsed)),
    DailyAsyncApexExecutions: l(250_000),
    DailyAsyncApexTests: l(500),
    DailyBulkApiBatches: l(15_000),
    DailyBulkV2QueryFileStorageMB: l(976_562),
    DailyBulkV2QueryJobs: l(10_000),
    DailyDeliveredPlatformEvents: l(10_000),
    DailyDurableGenericStreamingApiEvents: l(10_000),
    DailyDurableStreamingApiEvents: l(10_000),
    DailyGenericStreamingApiEvents: l(10_000),
    DailyScratchOrgs: l(6),
    DailyStandardVolumePlatformEvents: l(10_000),
    DailyStreamingApiEvents: l(10_000),
    DailyWorkflowEmails: l(390),
    DataStorageMB: l(5),
    DurableStreamingApiConcurrentClients: l(20),
    FileStorageMB: l(20),
    HourlyAsyncReportRuns: l(1_200),
    HourlyDashboardRefreshes: l(200),
    HourlyDashboardResults: l(5_000),
    HourlyDashboardStatuses: l(999_999_999),
    HourlyLongTermIdMapping: l(100_000),
    HourlyManagedContentPublicRequests: l(50_000),
    HourlyODataCallout: l(10_000),
    HourlyPublishedPlatformEvents: l(50_000),
    HourlyPublishedStandardVolumePlatformEvents: l(50_000),
    HourlyShortTermIdMapping: l(100_000),
    HourlySyncReportRuns: l(500),
    HourlyTimeBasedWorkflow: l(50),
    MassEmail: l(10),
    MonthlyPlatformEventsUsageEntitlement: l(0),
    Package2VersionCreates: l(6),
    Package2VersionCreatesWithoutValidation: l(500),
    PermissionSets: { Max: 1_500, Remaining: 1_500, CreateCustom: l(1_000) },
    PrivateConnectOutboundCalloutHourlyLimitMB: l(0),
    PublishCallbackUsageInApex: l(5_000_000),
    SingleEmail: l(15),
    StreamingApiConcurrentClients: l(20),
  };
}

/**
 * Resources by Version, in the order the documentation's v68.0 example lists them (its first
 * twenty-one; the rest follow as real orgs list them). `identity` is the caller's identity URL.
 */
export function resourcesBody(v: string, identityUrl: string): Record<string, string> {
  const names = [
    'tooling',
    'metadata',
    'eclair',
    'folders',
    'prechatForms',
    'contact-tracing',
    'jsonxform',
    'chatter',
    'payments',
    'tabs',
    'appMenu',
    'quickActions',
    'queryAll',
    'commerce',
    'wave',
    'iot',
    'analytics',
    'search',
    'smartdatadiscovery',
  ];
  const after = [
    'composite',
    'parameterizedSearch',
    'fingerprint',
    'theme',
    'nouns',
    'domino',
    'event',
    'serviceTemplates',
    'recent',
    'connect',
    'licensing',
    'limits',
    'process',
    'dedupe',
    'async-queries',
    'query',
    'match',
    'emailConnect',
    'compactLayouts',
    'knowledgeManagement',
    'sobjects',
    'actions',
    'support',
    'ui-api',
  ];
  const path = (n: string) => [n, `/services/data/${v}/${n}`] as const;
  return Object.fromEntries([...names.map(path), ['identity', identityUrl], ...after.map(path)]);
}
