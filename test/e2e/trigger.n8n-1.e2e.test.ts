/** The Presence Trigger in a running n8n 1.x (see suites/trigger.ts). */
import { N8N_1 } from './runtime';
import { triggerSuite } from './suites/trigger';

triggerSuite(N8N_1);
