import { Injectable, Logger } from '@nestjs/common';
import { IsString, MaxLength } from 'class-validator';
import { AppConfig } from '../../core/config/app-config';
import { LanguageModelService } from '../../core/llm/language-model.service';
import type { AlertRow, IncidentRow } from '../aiops.repository';
import type { RankedCause } from '../engine';
import { FixActionId, FixRisk, KNOWLEDGE_BASE } from './knowledge-base';

/** A fix advised for one incident. */
export interface AdvisedFix {
  /** Unique within the incident: the knowledge-base id, plus `:<queue>` for per-queue fixes. */
  id: string;
  title: string;
  why: string;
  risk: FixRisk;
  runbook: string[];
  /** The component (ranked cause) it addresses. */
  component: string;
  action?: FixActionId;
  target?: string;
  /** The policy (AIOPS_AUTO_FIXES) lets it run without approval. */
  automatic: boolean;
  reversible: boolean;
  /** Ranking score: the cause's share times the fix's weight. */
  score: number;
}

export interface Advice {
  diagnosis: string;
  fixes: AdvisedFix[];
}

const REVERSIBLE: FixActionId[] = ['pause-queue', 'resume-queue', 'scale-workers'];

class NarrativeReply {
  @IsString()
  @MaxLength(2000)
  narrative!: string;
}

/**
 * AutoFixAdvisor: for an incident, a diagnosis in words and ranked fixes (why, risk, runbook steps) from the built-in
 * knowledge base of the platform's components, following the engine's ranked causes. The optional language model
 * may add a narrative; nothing depends on it.
 */
@Injectable()
export class AutoFixAdvisor {
  private readonly logger = new Logger('AutoFixAdvisor');
  private readonly automatic: Set<string>;

  constructor(
    config: AppConfig,
    private readonly llm: LanguageModelService,
  ) {
    this.automatic = new Set(
      config.AIOPS_AUTO_FIXES.split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    );
  }

  advise(incident: Pick<IncidentRow, 'causes' | 'components'>, alerts: Pick<AlertRow, 'labels' | 'component'>[]): Advice {
    const causes = incident.causes as RankedCause[];
    const queues = [...new Set(alerts.map((a) => a.labels.queue).filter((q): q is string => !!q))];
    const fixes: AdvisedFix[] = [];
    const seen = new Set<string>();
    for (const cause of causes) {
      const knowledge = KNOWLEDGE_BASE[cause.component];
      if (!knowledge) continue;
      for (const fix of knowledge.fixes) {
        const targets = fix.perQueue ? queues : [undefined];
        for (const target of targets) {
          const id = target ? `${fix.id}:${target}` : fix.id;
          if (seen.has(id)) continue;
          seen.add(id);
          fixes.push({
            id,
            title: target ? `${fix.title} (${target})` : fix.title,
            why: fix.why,
            risk: fix.risk,
            runbook: fix.runbook,
            component: cause.component,
            ...(fix.action ? { action: fix.action } : {}),
            ...(target ? { target } : {}),
            automatic: !!fix.action && this.automatic.has(fix.action),
            reversible: !!fix.action && REVERSIBLE.includes(fix.action),
            score: Math.round(cause.score * fix.weight * 1000) / 1000,
          });
        }
      }
    }
    fixes.sort((a, b) => b.score - a.score);
    return { diagnosis: this.diagnose(causes, incident.components), fixes };
  }

  private diagnose(causes: RankedCause[], components: string[]): string {
    const top = causes[0];
    if (!top) return `Signals on ${components.join(', ')} without a ranked cause yet.`;
    const knowledge = KNOWLEDGE_BASE[top.component];
    const confidence = top.score >= 0.5 ? 'Most likely cause' : 'Likeliest cause (uncertain)';
    const parts = [`${confidence}: ${top.component} (${Math.round(top.score * 100)}% of the ranking). ${top.why}`];
    if (knowledge) parts.push(knowledge.diagnosis);
    const others = causes.slice(1, 3).filter((c) => c.score >= 0.1);
    if (others.length) parts.push(`Also possible: ${others.map((c) => `${c.component} (${Math.round(c.score * 100)}%)`).join(', ')}.`);
    return parts.join(' ');
  }

  /** A short narrative by the language model when one is configured; null otherwise or when it fails. */
  async narrative(incident: IncidentRow, advice: Advice): Promise<string | null> {
    if (!this.llm.isConfigured()) return null;
    try {
      const reply = await this.llm.completeJson(
        [
          {
            role: 'system',
            content:
              'You are an SRE assistant for a NestJS platform (API, PostgreSQL, Redis/BullMQ queues and workers, Elasticsearch logs). Explain an incident to an operator in at most 5 sentences, plainly, using only the facts given. Answer as JSON {"narrative": "..."}.',
          },
          {
            role: 'user',
            content: JSON.stringify({
              title: incident.title,
              severity: incident.severity,
              started: incident.started_at,
              causes: (incident.causes as RankedCause[]).slice(0, 3).map((c) => ({ component: c.component, score: c.score, why: c.why })),
              diagnosis: advice.diagnosis,
              fixes: advice.fixes.slice(0, 3).map((f) => ({ title: f.title, why: f.why, risk: f.risk })),
            }),
          },
        ],
        NarrativeReply,
      );
      return reply.narrative;
    } catch (error) {
      this.logger.warn(`No narrative from the language model: ${(error as Error).message}`);
      return null;
    }
  }
}
