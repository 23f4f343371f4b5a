/**
 * Runs the suite against the SDK's built-in task support and prints the baseline YAML
 * (node dist/spec/conformance/recordSdkBaseline.js > conformance/baselines/sdk-1.32.2-builtin.yaml).
 */
import { formatBaseline, formatReport, runConformance } from '../../conformance/index.js';
import { sdkTarget } from './servers/sdkServer.js';

const target = sdkTarget();
try {
  const report = await runConformance({ target: { connect: target.connect, name: 'SDK 1.32.2 McpServer, built-in tasks (in-memory)' } });
  process.stderr.write(formatReport(report));
  process.stdout.write(
    formatBaseline(report, {
      server: '@modelcontextprotocol/sdk 1.32.2 McpServer with InMemoryTaskStore + InMemoryTaskMessageQueue (built-in tasks/*), fixtures via registerToolTask',
      recorded: new Date().toISOString().slice(0, 10),
    }),
  );
} finally {
  await target.close();
}
