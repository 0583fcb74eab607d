#!/usr/bin/env node
'use strict';
// Entry point of the `ha` command: everything lives in dist/ (compiled by `npm install`'s prepare step).
require('../dist/bin/main.js').main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
