import { expect } from 'vitest';
import { defineStep } from '../runner/step-registry.js';
import type { StepDefinition } from '../runner/step-registry.js';
import { PROVIDER_EVENTS } from './sdk-client-world.js';
import type { EventKind, SdkClientWorld } from './sdk-client-world.js';

/** How long an event step waits when the scenario gives no time. */
export const EVENT_TIMEOUT_MS = 10_000;

/** The event handler and event assertion steps, the same for every provider suite. */
export function eventSteps<W extends SdkClientWorld>(timeoutMs = EVENT_TIMEOUT_MS): StepDefinition<W>[] {
  return [
    defineStep<W>(/^a (ready|error|stale|change) event handler$/, (world, [kind = '']) => {
      const eventKind = kind as EventKind;
      world.requireClient().addHandler(PROVIDER_EVENTS[eventKind], (details) => {
        world.events.push({ kind: eventKind, details });
      });
    }),
    defineStep<W>(/^the (ready|error|stale|change) event handler should have been executed$/, (world, [kind = '']) =>
      world.consumeEvent(kind as EventKind, timeoutMs),
    ),
    defineStep<W>(
      /^the (ready|error|stale|change) event handler should have been executed within (\d+)ms$/,
      (world, [kind = '', ms = '0']) => world.consumeEvent(kind as EventKind, Number(ms)),
    ),
    defineStep<W>(/^a (ready|error|stale|change) event was fired$/, (world, [kind = '']) =>
      world.consumeEvent(kind as EventKind, timeoutMs),
    ),
    defineStep<W>('the flag should be part of the event payload', (world) => {
      const event = world.lastConsumedEvent;
      expect(event?.kind, 'the last event a step waited for').toBe('change');
      expect(event?.details?.flagsChanged ?? []).toContain(world.flag?.key);
    }),
  ];
}
