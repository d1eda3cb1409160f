/** The Presence Trigger in a running n8n 2.x (see suites/trigger.ts). */
import { N8N_2 } from './runtime';
import { triggerSuite } from './suites/trigger';

triggerSuite(N8N_2);
