/**
 * Settings read from the environment: defaults, overrides and refusals (config.ts).
 */
import { describe, expect, it } from '@jest/globals';
import { DEFAULT_HEAP_GROWING_PERCENT, loadConfig } from '../../src/config.js';

describe('heap growth setting', () => {
  it('defaults to 1.8 times the live heap, can be handed back to V8 with 0, and refuses what is not a percentage', () => {
    expect(loadConfig({}).heapGrowingPercent).toBe(DEFAULT_HEAP_GROWING_PERCENT);
    expect(DEFAULT_HEAP_GROWING_PERCENT).toBe(80);
    expect(loadConfig({ HEAP_GROWING_PERCENT: '0' }).heapGrowingPercent).toBe(0);
    expect(loadConfig({ HEAP_GROWING_PERCENT: '150' }).heapGrowingPercent).toBe(150);
    expect(() => loadConfig({ HEAP_GROWING_PERCENT: '-5' })).toThrow(/HEAP_GROWING_PERCENT/);
    expect(() => loadConfig({ HEAP_GROWING_PERCENT: 'lots' })).toThrow(/HEAP_GROWING_PERCENT/);
  });
});
