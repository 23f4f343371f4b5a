import { expectAssignable, expectError, expectNotAssignable, expectType } from 'tsd';
import type { Cluster, Redis } from 'ioredis';
import {
  createRedisBackend,
  RedisKeys,
  RedisTaskStore,
  type RedisBackend,
  type RedisClusterNodes,
  type RedisConnectionOptions,
  type RedisTarget,
} from '../../dist/src/stores/redis/index.js';
import { TaskSupport } from '../../dist/src/server/index.js';

// Where Redis is: a URL, a client of your own, or Cluster seed nodes.
expectAssignable<RedisTarget>('redis://127.0.0.1:6379');
expectAssignable<RedisTarget>({} as Redis);
expectAssignable<RedisTarget>({} as Cluster);
expectAssignable<RedisTarget>({ cluster: [{ host: '127.0.0.1', port: 7000 }] });
expectNotAssignable<RedisClusterNodes>({ cluster: ['127.0.0.1:7000'] });
expectType<RedisBackend>(createRedisBackend({ cluster: [{ host: '127.0.0.1', port: 7000 }] }, { layout: 'sharded' }));
expectType<Promise<TaskSupport>>(TaskSupport.redis({ cluster: [{ host: 'h', port: 1 }] }, { keyPrefix: 'p' }));
expectType<RedisTaskStore>(new RedisTaskStore({ cluster: [{ host: 'h', port: 1 }] }));

// The key layout is one of two.
expectAssignable<RedisConnectionOptions>({ layout: 'single-slot' });
expectAssignable<RedisConnectionOptions>({ layout: 'sharded' });
expectNotAssignable<RedisConnectionOptions>({ layout: 'spread' });
expectType<'single-slot' | 'sharded'>(new RedisKeys('p').layout);
expectError(new RedisKeys('p').allTasks(0));
