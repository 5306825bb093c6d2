// `npm run docs:errors`: writes docs/errors.md from the error catalogue (src/platform/error-catalogue.ts).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderErrorDocs } from './platform/error-docs';

const target = path.resolve(__dirname, '../../docs/errors.md');
writeFileSync(target, renderErrorDocs());
console.log(`wrote ${path.relative(process.cwd(), target)}`);
