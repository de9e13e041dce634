/** Messages between the analysis pool and its worker threads. */
export type AnalysisRequest = { id: number; kind: 'detect'; timestamps: Float64Array; values: Float64Array } | { id: number; kind: 'mine'; lines: string[] };

/** The result comes back already serialized, so the main thread does not spend time in JSON.stringify on 200,000 scores. */
export type AnalysisReply = { id: number; ok: true; json: string } | { id: number; ok: false; message: string };
