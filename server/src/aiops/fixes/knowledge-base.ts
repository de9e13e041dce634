/** The executable fix actions (fix-actions.ts); a knowledge-base fix without one is a runbook for a person. */
export const FIX_ACTIONS = [
  'retry-failed-jobs',
  'pause-queue',
  'resume-queue',
  'reconnect-redis',
  'reconnect-database',
  'replay-log-spool',
  'scale-workers',
] as const;
export type FixActionId = (typeof FIX_ACTIONS)[number];

export type FixRisk = 'low' | 'medium' | 'high';

/** One fix the knowledge base knows for a component. */
export interface KnownFix {
  /** Stable id; fixes that act on a queue get `:<queue>` appended per incident. */
  id: string;
  title: string;
  why: string;
  risk: FixRisk;
  runbook: string[];
  action?: FixActionId;
  /** Whether the action needs a queue name (taken from the incident's alerts). */
  perQueue?: boolean;
  /** How much this fix helps relative to the others of the component (ranking weight, 0..1). */
  weight: number;
}

export interface ComponentKnowledge {
  /** What it means, in words, when this component is the cause. */
  diagnosis: string;
  fixes: KnownFix[];
}

/** The platform's own components (the engine's dependency graph) and what to do when each is the cause. */
export const KNOWLEDGE_BASE: Record<string, ComponentKnowledge> = {
  redis: {
    diagnosis:
      'Redis, which holds every job queue, is unreachable or slow. Submitting work fails (the API answers 503 with Retry-After), workers stop taking jobs and queue metrics go blank.',
    fixes: [
      {
        id: 'reconnect-redis',
        title: 'Reconnect the queue connections to Redis',
        why: 'Drops and reopens the queues’ Redis connections at once instead of after the client’s back-off; clears a connection left half-open by a failover or a network blip.',
        risk: 'low',
        action: 'reconnect-redis',
        weight: 1,
        runbook: [
          'Dry run to see the connections and their state',
          'Apply; queues reconnect within a second when Redis answers',
          'Watch health_up{check="redis"} return to 1',
        ],
      },
      {
        id: 'check-redis-server',
        title: 'Check the Redis server',
        why: 'If Redis itself is down, out of memory or blocked by a slow command, reconnecting cannot help.',
        risk: 'medium',
        weight: 0.8,
        runbook: [
          'redis-cli -u "$REDIS_URL" ping (expect PONG)',
          'redis-cli -u "$REDIS_URL" info memory: used_memory vs maxmemory; evictions',
          'redis-cli -u "$REDIS_URL" slowlog get 10: a slow KEYS/SCAN or a large Lua script blocks every client',
          'In Kubernetes: kubectl -n xiaoyu-ai logs statefulset/redis; kubectl -n xiaoyu-ai rollout restart statefulset/redis if it is wedged',
        ],
      },
    ],
  },
  postgres: {
    diagnosis:
      'PostgreSQL answers slowly or not at all. Every request that reads or writes data waits for a pooled connection (10 per process) and then for the query; when the pool is exhausted, requests queue and time out.',
    fixes: [
      {
        id: 'reconnect-database',
        title: 'Reconnect the database pool',
        why: 'Replaces this process’s PostgreSQL connection pool with a new one: clears connections left broken or hanging by a failover, a server restart or a network partition, and frees a pool exhausted by stuck statements (statements still holding an old connection after 5 s are terminated). It cannot help when the server itself is down or overloaded.',
        risk: 'low',
        action: 'reconnect-database',
        weight: 1,
        runbook: [
          'Dry run: the pool’s connections (in use, idle, waiting queries) and what is wrong with it',
          'Apply: new queries use a new pool at once; the old connections close, the stuck ones are terminated after 5 s',
          'Watch health_up{check="database"} return to 1; if the pool fills up again, find the statements holding it (next fix)',
        ],
      },
      {
        id: 'inspect-postgres',
        title: 'Find and stop the queries holding the database',
        why: 'Slow queries and exhausted pools are almost always a few long-running statements or locks.',
        risk: 'medium',
        weight: 0.9,
        runbook: [
          "select pid, state, wait_event_type, now() - query_start as age, left(query, 120) from pg_stat_activity where state <> 'idle' order by age desc;",
          'select pg_cancel_backend(<pid>) for a runaway query (pg_terminate_backend if cancel does not end it)',
          'Check locks: select * from pg_locks where not granted;',
          'If the server is down: check its pod/container logs and disk space; restart it',
        ],
      },
      {
        id: 'restart-api-replica',
        title: 'Restart the affected API replica',
        why: 'A fresh process gets a fresh connection pool if connections were left broken after a database restart.',
        risk: 'medium',
        weight: 0.4,
        runbook: ['kubectl -n xiaoyu-ai rollout restart deployment/server', 'Watch /api/health/ready on the new pods'],
      },
    ],
  },
  elasticsearch: {
    diagnosis:
      'The log shipper cannot reach Elasticsearch. Logs wait in the on-disk spool and are shipped when it answers again (none is lost below LOG_SPOOL_MAX_BYTES); the log explorer shows nothing new meanwhile.',
    fixes: [
      {
        id: 'replay-log-spool',
        title: 'Send the spooled logs now',
        why: 'After Elasticsearch is back the shipper retries on a back-off of up to 30 s; this drains the spool at once.',
        risk: 'low',
        action: 'replay-log-spool',
        weight: 1,
        runbook: ['Dry run: how many bytes wait in the spool', 'Apply: the shipper sends the backlog and reports whether it was acknowledged'],
      },
      {
        id: 'check-elasticsearch',
        title: 'Check Elasticsearch',
        why: 'A red cluster, full disk (flood-stage watermark makes indices read-only) or refused credentials stop shipping.',
        risk: 'medium',
        weight: 0.8,
        runbook: [
          'curl -s "$ELASTICSEARCH_URL/_cluster/health?pretty"',
          'curl -s "$ELASTICSEARCH_URL/_cat/allocation?v" (disk per node)',
          'If indices became read-only after a full disk: free space, then PUT _all/_settings {"index.blocks.read_only_allow_delete": null}',
        ],
      },
    ],
  },
  'log-spool': {
    diagnosis: 'The on-disk log spool grows: logs are written faster than Elasticsearch acknowledges them. At LOG_SPOOL_MAX_BYTES new lines are dropped.',
    fixes: [
      {
        id: 'replay-log-spool',
        title: 'Send the spooled logs now',
        why: 'Drains the backlog at once when Elasticsearch answers again.',
        risk: 'low',
        action: 'replay-log-spool',
        weight: 1,
        runbook: ['Dry run to see the spool size', 'Apply'],
      },
    ],
  },
  queue: {
    diagnosis: 'Jobs wait longer than usual: the queue backlog grows because consumers are missing, stuck or too few for the load.',
    fixes: [
      {
        id: 'scale-workers',
        title: 'Add a worker replica',
        why: 'More consumers drain the backlog; useful when the workers are healthy but outnumbered.',
        risk: 'medium',
        action: 'scale-workers',
        weight: 0.9,
        runbook: [
          'Dry run: current and new replica count (refused at or above the cap: AIOPS_WORKER_MAX_REPLICAS, or the HPA’s maxReplicas if lower)',
          'Apply: with the worker’s HorizontalPodAutoscaler, its minReplicas is raised to the running count + 1 (the HPA adds the replica and keeps it); without one, the worker Deployment is scaled by one',
          'Revert restores the previous minReplicas (or scales the Deployment back); the next kubectl apply of deploy/ also resets minReplicas',
        ],
      },
      {
        id: 'check-workers',
        title: 'Check that the workers run and take jobs',
        why: 'A stuck worker holds its jobs until they stall; a worker that never started takes none.',
        risk: 'low',
        weight: 0.7,
        runbook: [
          'kubectl -n xiaoyu-ai get pods -l app.kubernetes.io/name=xiaoyu-worker',
          'kubectl -n xiaoyu-ai logs deployment/worker --since=10m',
          'GET /api/metrics: queue_jobs{state="active"} stays flat while waiting grows → consumers are stuck; restart them',
        ],
      },
    ],
  },
  worker: {
    diagnosis:
      'Workers fail the jobs they take. Each failure burns one of the job’s attempts; what fails for a shared reason (a dependency down, a bad release) fails again on retry.',
    fixes: [
      {
        id: 'pause-queue',
        title: 'Pause the queue whose jobs fail',
        why: 'Stops feeding jobs to consumers that fail them all, so they keep their remaining attempts; resume (revert) once the cause is fixed.',
        risk: 'medium',
        action: 'pause-queue',
        perQueue: true,
        weight: 1,
        runbook: [
          'Dry run: the queue and its failure count',
          'Apply: the queue is paused for every worker',
          'Fix the cause, then revert (resume) and retry the failed jobs',
        ],
      },
      {
        id: 'retry-failed-jobs',
        title: 'Retry the failed jobs',
        why: 'Once the cause is gone, jobs that failed for it run again instead of being lost.',
        risk: 'low',
        action: 'retry-failed-jobs',
        perQueue: true,
        weight: 0.8,
        runbook: ['Dry run: which failed jobs would run again', 'Apply after the cause is fixed'],
      },
      {
        id: 'resume-queue',
        title: 'Resume a paused queue',
        why: 'A paused queue keeps its jobs waiting; resume it once consumers work again.',
        risk: 'low',
        action: 'resume-queue',
        perQueue: true,
        weight: 0.3,
        runbook: ['Dry run: whether the queue is paused', 'Apply'],
      },
    ],
  },
  'event-loop': {
    diagnosis:
      'The event loop of a server process is blocked: synchronous work (a large JSON body, a tight loop, a regular expression on a long string, synchronous file I/O) holds the thread, so every request on that replica waits.',
    fixes: [
      {
        id: 'profile-event-loop',
        title: 'Find the blocking code',
        why: 'Only a profile shows which function holds the thread.',
        risk: 'low',
        weight: 1,
        runbook: [
          'npm run bench:api:profile reproduces load with a CPU profile',
          'Look for long synchronous frames; move the work to a worker thread or make it incremental',
          'Meanwhile: kubectl -n xiaoyu-ai rollout restart deployment/server if one replica stays blocked',
        ],
      },
    ],
  },
  memory: {
    diagnosis:
      'Memory of a server process keeps growing (heap or RSS) and garbage collection takes more time: a leak or an unbounded cache. The process will slow down, then be killed at its limit.',
    fixes: [
      {
        id: 'restart-replica',
        title: 'Restart the replica that grows',
        why: 'Gives relief at once; a rolling restart keeps the service up.',
        risk: 'medium',
        weight: 0.8,
        runbook: ['kubectl -n xiaoyu-ai rollout restart deployment/server (or deployment/worker)'],
      },
      {
        id: 'heap-snapshot',
        title: 'Compare two heap snapshots',
        why: 'Shows which objects accumulate, so the leak can be fixed for good.',
        risk: 'low',
        weight: 0.7,
        runbook: [
          'Start the process with --inspect, take two heap snapshots minutes apart in Chrome DevTools',
          'Sort by "Objects allocated between snapshots"',
        ],
      },
    ],
  },
  api: {
    diagnosis: 'Requests fail with server errors or are slow, without a dependency explaining it: most likely a broken route or a bad release.',
    fixes: [
      {
        id: 'inspect-errors',
        title: 'Look at the failing route and its error template',
        why: 'The log patterns of the incident name the error; the route is on the request lines.',
        risk: 'low',
        weight: 1,
        runbook: [
          'Open the log patterns that changed in this incident',
          'GET /api/logs?level=error for the stack traces',
          'Roll back a bad release: kubectl -n xiaoyu-ai rollout undo deployment/server',
        ],
      },
    ],
  },
  disk: {
    diagnosis: 'The disk under DATA_DIR is filling up; generated music, the log spool and the embedded database live there.',
    fixes: [
      {
        id: 'free-disk',
        title: 'Free space under DATA_DIR',
        why: 'A full disk stops music generation, log spooling and the embedded database.',
        risk: 'medium',
        weight: 1,
        runbook: ['du -sh "$DATA_DIR"/*', 'Remove old generated files or grow the volume (PVC)'],
      },
    ],
  },
};
