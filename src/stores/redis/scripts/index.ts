/** Every Lua script of the Redis backend, as a {@link LuaScript} (EVALSHA, reloaded on NOSCRIPT). */
import { LuaScript } from '../luaScript.js';
import { acquireLeaseLua } from './acquireLease.js';
import { createTaskLua } from './createTask.js';
import { deleteTaskLua } from './deleteTask.js';
import { drainQueueLua } from './drainQueue.js';
import { enqueueMessageLua } from './enqueueMessage.js';
import { expiredLeasesLua } from './expiredLeases.js';
import { publishResponseLua } from './publishResponse.js';
import { readTaskLua } from './readTask.js';
import { releaseLeaseLua } from './releaseLease.js';
import { renewLeasesLua } from './renewLeases.js';
import { transitionTaskLua } from './transitionTask.js';

export const scripts = Object.freeze({
  createTask: new LuaScript('createTask', createTaskLua),
  transitionTask: new LuaScript('transitionTask', transitionTaskLua),
  deleteTask: new LuaScript('deleteTask', deleteTaskLua),
  readTask: new LuaScript('readTask', readTaskLua),
  enqueueMessage: new LuaScript('enqueueMessage', enqueueMessageLua),
  drainQueue: new LuaScript('drainQueue', drainQueueLua),
  publishResponse: new LuaScript('publishResponse', publishResponseLua),
  acquireLease: new LuaScript('acquireLease', acquireLeaseLua),
  renewLeases: new LuaScript('renewLeases', renewLeasesLua),
  releaseLease: new LuaScript('releaseLease', releaseLeaseLua),
  expiredLeases: new LuaScript('expiredLeases', expiredLeasesLua),
});
