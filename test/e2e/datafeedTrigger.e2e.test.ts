/** The Symphony Trigger (datafeed v5) in a running n8n 2.x (see suites/datafeedTrigger.ts). */
import { N8N_2 } from './runtime';
import { datafeedTriggerSuite } from './suites/datafeedTrigger';

datafeedTriggerSuite(N8N_2);
