// Parse a GIFT file with gift-pegjs (a parser the project did not write) and
// print what it read as JSON, for tests/test_export.py to compare with the banks.
"use strict";
const fs = require("fs");
const parser = require("gift-pegjs");
const text = fs.readFileSync(process.argv[2], "utf8");
process.stdout.write(JSON.stringify(parser.parse(text)));
