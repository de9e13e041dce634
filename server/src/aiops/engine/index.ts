/**
 * AIOps engine: pure TypeScript, no Nest, no I/O. The aiops module (collection, alerts, incidents, fixes) codes
 * against exactly this. Design, methods, parameters and measured figures: docs/aiops-engine.md.
 *
 * Metric anomalies (streaming, causal, constant memory per series, one parameter set for every series)
 *   new AnomalyDetector(params?)             one per series; .update(timestampMs, value) → { score 0..1, expected,
 *                                            measures: { value, level, volatility, stuck, seasonal, residual } }; .threshold;
 *                                            .toState() → JSON-safe state; AnomalyDetector.fromState(state) continues exactly
 *   detect(points, params?) → { scores[], threshold, anomalies: [{ start, end, score }] }     stateless, ≤ 200,000 points
 *   ANOMALY_PARAMS                           the one parameter set (documented data table)
 *
 * Log patterns (one setting for every source; messages without their header)
 *   mine(lines) → { templates: [{ id, template (with <*>), count }], assignments: [template id per line] }   ≤ 50,000 lines
 *   new LogTemplateMiner()                   online: .add(message) → { id, isNew, merged: ids absorbed into id };
 *                                            .templates(); .template(id); .resolve(id) (absorbed id → live id)
 *   new LogPatternMonitor(settings?)         .observe(timestampMs, message) → { templateId, isNew };
 *                                            .advance(nowMs) → events [{ kind: 'new'|'burst'|'silent', templateId, template,
 *                                            at (bucket start, ms), count, expected (per bucket), pValue }]; .stats()
 *   maskTokens(message)                      the variable masking (ids, numbers, IPs, paths, hex, durations, dates, hosts)
 *
 * Capacity forecasts (disk, spool, queue backlog, heap/RSS, database size)
 *   forecast(points, { horizonMs?, limit?, direction?, level? = 0.95, warnWithinMs? = 7 days }) → { stepMs, seasonSteps,
 *       trendPerHour, params, sigma, points: [{ timestamp, mean, lower, upper }],
 *       exhaustion?: { limit, direction, at, earliest, latest (epoch ms | null), timeToExhaustionMs, alert } }
 *
 * Root-cause analysis (personalised PageRank over the dependency graph, weighted by anomaly and temporal precedence)
 *   analyseIncidents(signals, edges = PLATFORM_DEPENDENCIES, options?) → Incident[]: { id, start, end, severity,
 *       components, signals, causes: [{ component, score, anomaly, firstSeen, evidence[], explains[], why }] }
 *       signals: [{ id, kind: 'metric'|'log'|'health', component, start, end?, strength 0..1, description? }]
 *
 * NAB scoring (to score any labelled series like the Numenta Anomaly Benchmark)
 *   scoreCorpus(files, NAB_PROFILES.standard, threshold?) → { normalized, threshold, detectedWindows, falseAlarms, perFile }
 */
export { AnomalyDetector } from './anomaly-detector';
export type { AnomalyDetectorState, AnomalyMeasures, AnomalyPointScore } from './anomaly-detector';
export { ANOMALY_PARAMS } from './anomaly-params';
export type { AnomalyParams } from './anomaly-params';
export { detect, MAX_DETECT_POINTS, toEpochMs } from './detect';
export type { AnomalySpan, DetectResult, SeriesPoint } from './detect';
export { LOG_MINER_SETTINGS, LogTemplateMiner, maskTokens, MAX_MINE_LINES, mine, VARIABLE_CARDINALITY, WILDCARD } from './log-template-miner';
export type { LogMinerSettings, LogTemplate, MinerAssignment, MineResult } from './log-template-miner';
export { LOG_MONITOR_SETTINGS, LogPatternMonitor, poissonUpperTail } from './log-pattern-monitor';
export type { LogMonitorSettings, LogPatternEvent, LogPatternEventKind, LogPatternStats } from './log-pattern-monitor';
export { detectSeason, forecast, normalQuantile, regularize } from './forecast';
export type { Exhaustion, ForecastOptions, ForecastPoint, ForecastResult } from './forecast';
export { analyseIncidents, PLATFORM_DEPENDENCIES } from './root-cause';
export type { AiopsSignal, CauseEvidence, DependencyEdge, Incident, RankedCause, RootCauseOptions, SignalKind } from './root-cause';
export { NAB_PROFILES, scoreCorpus, scaledSigmoid } from './nab-score';
export type { NabCorpusScore, NabFile, NabProfile, NabProfileName } from './nab-score';
