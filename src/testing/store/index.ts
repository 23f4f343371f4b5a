/** `describeTaskStoreContract`: the whole TaskStore contract as one node:test suite. */
import { describe } from 'node:test';
import { resolveContractOptions, type ContractOptions } from '../options.js';
import { creationChecks } from './creation.js';
import { expiryChecks } from './expiry.js';
import type { TaskStoreFactory } from './harness.js';
import { inputRequestChecks } from './inputRequests.js';
import { lifecycleChecks } from './lifecycle.js';
import { limitChecks } from './limits.js';
import { listingChecks } from './listing.js';
import { outcomeChecks } from './outcomes.js';
import { raceChecks } from './races.js';
import { scopeChecks } from './scopes.js';
import { subscribeChecks } from './subscribe.js';
import { waitingChecks } from './waiting.js';

export type { TaskStoreFactory };

/**
 * Registers a `describe` suite that checks a {@link TaskStore} implementation against every rule
 * of the contract in `core/taskStore.ts`. `makeStore` is called once per test with the options
 * that test needs and must return a store that holds no tasks yet (e.g. a fresh key prefix); the
 * kit closes it after the test.
 */
export function describeTaskStoreContract(name: string, makeStore: TaskStoreFactory, options?: ContractOptions): void {
  const suite = { makeStore, options: resolveContractOptions(options) };
  describe(`${name}: TaskStore contract (seed ${suite.options.seed})`, () => {
    describe('creation', () => creationChecks(suite));
    describe('lifecycle', () => lifecycleChecks(suite));
    describe('outcomes', () => outcomeChecks(suite));
    describe('expiry', () => expiryChecks(suite));
    describe('listing', () => listingChecks(suite));
    describe('scopes', () => scopeChecks(suite));
    describe('input requests', () => inputRequestChecks(suite));
    describe('limits', () => limitChecks(suite));
    describe('waiting', () => waitingChecks(suite));
    describe('subscribe (optional)', () => subscribeChecks(suite));
    describe('races', () => raceChecks(suite));
  });
}
