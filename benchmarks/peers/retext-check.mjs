// retext-simplify and retext-readability over Markdown files, the way their READMEs
// combine them (remark-parse -> remark-retext -> retext-english), printing one report
// per file.  benchmarks/run.py copies this next to the peers' node_modules and runs
//   node retext-check.mjs FILE...
import {readFileSync} from 'node:fs'
import remarkParse from 'remark-parse'
import remarkRetext from 'remark-retext'
import retextEnglish from 'retext-english'
import retextReadability from 'retext-readability'
import retextSimplify from 'retext-simplify'
import {unified} from 'unified'
import {VFile} from 'vfile'
import {reporter} from 'vfile-reporter'

const processor = unified()
  .use(remarkParse)
  .use(remarkRetext, unified().use(retextEnglish).use(retextSimplify).use(retextReadability))

for (const path of process.argv.slice(2)) {
  const file = new VFile({path, value: readFileSync(path, 'utf8')})
  await processor.run(processor.parse(file), file)
  console.log(reporter(file))
}
