/** The examples, both credentials and error handling in a real n8n 2.x (see suites/examples.ts). */
import { N8N_2 } from './runtime';
import { examplesSuite } from './suites/examples';

examplesSuite(N8N_2);
