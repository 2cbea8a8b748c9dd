/**
 * `npm run soak [-- --events N] [-- --dynamodb dynalite] [-- --json]`: the sandbox soak (see soak.ts).
 * The handlers' logs and metrics are silenced before anything imports them: stdout carries the counts only.
 */
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { runSoak } = await import('./soak.ts');
process.exitCode = await runSoak(process.argv.slice(2));
