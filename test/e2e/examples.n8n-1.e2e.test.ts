/** The examples, both credentials and error handling in a real n8n 1.x (see suites/examples.ts). */
import { N8N_1 } from './runtime';
import { examplesSuite } from './suites/examples';

examplesSuite(N8N_1);
