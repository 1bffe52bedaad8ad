/** `npm run openapi`: regenerates docs/openapi.json from the route table and schemas (a test checks it is current). */
import { writeFileSync } from 'node:fs';
import { buildOpenApi } from '../infra/openapi.js';

writeFileSync('docs/openapi.json', `${JSON.stringify(buildOpenApi(), null, 2)}\n`);
console.log('docs/openapi.json written');
