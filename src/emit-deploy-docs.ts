// `npm run docs:deploy`: rewrites the generated blocks of docs/deploying.md (Stripe events, permissions) from the code.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderDeployDoc } from './deploy-docs';

const target = path.resolve(__dirname, '../../docs/deploying.md');
writeFileSync(target, renderDeployDoc(readFileSync(target, 'utf8')));
console.log(`wrote ${path.relative(process.cwd(), target)}`);
