import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:https';

const SERVICE_ACCOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface KubernetesTarget {
  host?: string;
  port?: string;
  deployment: string;
  /** Where the service account is mounted (tests point it elsewhere). */
  serviceAccountDir?: string;
}

/** The HorizontalPodAutoscaler that owns the Deployment's replica count. */
export interface WorkerAutoscaler {
  name: string;
  minReplicas: number;
  maxReplicas: number;
}

interface HorizontalPodAutoscaler {
  spec?: { scaleTargetRef?: { apiVersion?: string; kind?: string; name?: string }; minReplicas?: number; maxReplicas?: number };
}

/** A refusal of the Kubernetes API, with its status code. */
class KubernetesApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** One object the scaler reads and patches: its API path under the namespace and how a refusal names it. */
interface Resource {
  /** The API group and version: `/apis/apps/v1`. */
  api: string;
  /** The path after the namespace (URL-encoded): `deployments/worker/scale`. */
  path: string;
  /** `deployments/worker/scale`, `horizontalpodautoscalers/worker`. */
  what: string;
  /** What a 404 means, after the API server's message. */
  missing: string;
}

/**
 * Reads and sets the replica count of one Deployment, with the pod's service account: through the Kubernetes API's
 * scale subresource, or, when a HorizontalPodAutoscaler of the same name scales that Deployment (deploy/base/hpa.yaml),
 * through the HPA's minReplicas (a changed spec.replicas would be set back by the HPA within seconds).
 * deploy/base/aiops-rbac.yaml grants exactly get and patch on deployments/scale and on horizontalpodautoscalers of
 * that name.
 */
export class KubernetesScaler {
  private readonly dir: string;

  constructor(private readonly target: KubernetesTarget) {
    this.dir = target.serviceAccountDir ?? SERVICE_ACCOUNT;
  }

  /** Why scaling is not possible here, or null when it is. */
  unavailableReason(): string | null {
    if (!this.target.host) return 'not running in a Kubernetes cluster (KUBERNETES_SERVICE_HOST is not set)';
    if (!existsSync(`${this.dir}/token`)) return 'no service-account token is mounted';
    return null;
  }

  async replicas(): Promise<number> {
    const scale = (await this.call(this.scale(), 'GET')) as { spec?: { replicas?: number } };
    return scale.spec?.replicas ?? 0;
  }

  async scaleTo(replicas: number): Promise<number> {
    const scale = (await this.call(this.scale(), 'PATCH', { spec: { replicas } })) as { spec?: { replicas?: number } };
    return scale.spec?.replicas ?? replicas;
  }

  /**
   * The HorizontalPodAutoscaler named like the Deployment, when it scales that Deployment; null when there is none
   * (404: no such HPA, or no autoscaling/v2 API) or it scales something else. A 403 (the Role lacks the HPA rule)
   * throws: the caller must not fall back to a scale the HPA would set back.
   */
  async autoscaler(): Promise<WorkerAutoscaler | null> {
    let hpa: HorizontalPodAutoscaler;
    try {
      hpa = (await this.call(this.hpa(), 'GET')) as HorizontalPodAutoscaler;
    } catch (error) {
      if (error instanceof KubernetesApiError && error.status === 404) return null;
      throw error;
    }
    const ref = hpa.spec?.scaleTargetRef;
    if (ref?.kind !== 'Deployment' || ref.name !== this.target.deployment || !/^apps\//.test(ref.apiVersion ?? 'apps/v1')) return null;
    return { name: this.target.deployment, minReplicas: hpa.spec?.minReplicas ?? 1, maxReplicas: hpa.spec?.maxReplicas ?? 1 };
  }

  /** Sets the HPA's minReplicas (JSON merge patch of that field only); answers the value the API server stored. */
  async setAutoscalerMinReplicas(minReplicas: number): Promise<number> {
    const hpa = (await this.call(this.hpa(), 'PATCH', { spec: { minReplicas } })) as HorizontalPodAutoscaler;
    return hpa.spec?.minReplicas ?? minReplicas;
  }

  private scale(): Resource {
    const name = this.target.deployment;
    return {
      api: '/apis/apps/v1',
      path: `deployments/${encodeURIComponent(name)}/scale`,
      what: `deployments/${name}/scale`,
      missing: `there is no Deployment ${name}`,
    };
  }

  private hpa(): Resource {
    const name = this.target.deployment;
    return {
      api: '/apis/autoscaling/v2',
      path: `horizontalpodautoscalers/${encodeURIComponent(name)}`,
      what: `horizontalpodautoscalers/${name}`,
      missing: `there is no HorizontalPodAutoscaler ${name}`,
    };
  }

  /** A refusal in words: what is missing (RBAC, the Deployment, a valid token) rather than the status code alone. */
  private explain(status: number, method: 'GET' | 'PATCH', resource: Resource, namespace: string, text: string): string {
    let message = text.slice(0, 200);
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? message;
    } catch {
      // not a Status object: keep the text
    }
    const what = `${resource.what} in namespace ${namespace}`;
    if (status === 401) return `Kubernetes answered 401: the service-account token was not accepted (${message})`;
    if (status === 403)
      return `Kubernetes answered 403: the service account may not ${method === 'GET' ? 'get' : 'patch'} ${what} (RBAC of deploy/base/aiops-rbac.yaml missing or changed): ${message}`;
    if (status === 404) return `Kubernetes answered 404: ${resource.missing} in namespace ${namespace} (AIOPS_WORKER_DEPLOYMENT): ${message}`;
    return `Kubernetes answered ${status}: ${message}`;
  }

  /** One call to a resource in the pod's namespace. */
  private call(resource: Resource, method: 'GET' | 'PATCH', body?: unknown): Promise<unknown> {
    const namespace = readFileSync(`${this.dir}/namespace`, 'utf8').trim();
    const token = readFileSync(`${this.dir}/token`, 'utf8').trim();
    const ca = existsSync(`${this.dir}/ca.crt`) ? readFileSync(`${this.dir}/ca.crt`) : undefined;
    const path = `${resource.api}/namespaces/${encodeURIComponent(namespace)}/${resource.path}`;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.target.host,
          port: Number(this.target.port ?? 443),
          path,
          method,
          ca,
          timeout: 5000,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(payload ? { 'content-type': 'application/merge-patch+json', 'content-length': Buffer.byteLength(payload) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 500;
            if (status >= 300) return reject(new KubernetesApiError(status, this.explain(status, method, resource, namespace, text)));
            try {
              resolve(JSON.parse(text));
            } catch {
              reject(new Error('Kubernetes answered with something that is not JSON'));
            }
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('Kubernetes did not answer within 5 s')));
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  }
}
