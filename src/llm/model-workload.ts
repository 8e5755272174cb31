// The operator list a model workload shows before simulation (validation, `accsim validate`, the
// family-support check): the single step it stands for, or for a generation its prefill followed by
// the last decode step. Simulation of a generation rebuilds the decode steps (src/llm/serving.ts).

import type { Operator } from '../core/types.js';
import { transformerStep } from './transformer.js';
import type { ModelWorkload, ServingSpec } from './types.js';

export function modelWorkloadOperators(model: ModelWorkload, serving: ServingSpec): Operator[] {
  const { config, choices } = model;
  const { batch } = serving;
  if (serving.phase === 'decode') return transformerStep(config, { phase: 'decode', batch, tokens: 1, context: serving.context }, choices);
  const prefill = transformerStep(config, { phase: 'prefill', batch, tokens: serving.prompt, context: serving.prompt }, choices, serving.phase === 'generation' ? 'prefill.' : '');
  if (serving.phase === 'prefill' || serving.output <= 1) return prefill;
  return [...prefill, ...transformerStep(config, { phase: 'decode', batch, tokens: 1, context: serving.prompt + serving.output - 1 }, choices, 'decode.')];
}
