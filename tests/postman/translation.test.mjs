// postman/build.mjs's rewrites of the wasm2js translation that need an analysis of the code
// (int32Coercions, unreadInitialisers, functionsAsArrows): each on wasm2js-shaped code, run before and after on
// inputs that reach every path, and against a rewrite that ignores the analysis, which the
// comparison must catch. Needs no build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { functionsAsArrows, int32Coercions, unreadInitialisers } from '../../postman/build.mjs';

/** The exports of `source` (an asmFunc), called on every input: [name, args, result] triples. */
function run(source, calls) {
  const asmFunc = new Function(`${source}\nreturn asmFunc;`)();
  const exports = asmFunc();
  return calls.map(([name, ...args]) => {
    try {
      return [name, args, exports[name](...args)];
    } catch (error) {
      return [name, args, `threw ${error.message}`];
    }
  });
}

test('int32Coercions: `x | 0` goes where x is an int32 already (or a boolean read as a number), and stays everywhere else', () => {
  // An internal function called only with int32s (its parameters, locals from loads, comparisons
  // and shifts; a boolean in a comparison and in a sum); exported functions that coerce their
  // parameters first; one that does not (its parameter is whatever JavaScript passes); a local
  // holding an unsigned value (`>>>`), a boolean kept as a value, a global set by an export's
  // setter, and a function in the table whose indirect call passes an unsigned value.
  const source = `function asmFunc() {
 var buffer = new ArrayBuffer(65536);
 var HEAP8 = new Int8Array(buffer);
 var HEAP32 = new Int32Array(buffer);
 var HEAPU8 = new Uint8Array(buffer);
 var HEAPF64 = new Float64Array(buffer);
 var Math_imul = Math.imul;
 var global$0 = 1024;
 var global$1 = 0;
 function loadWord(address) { return HEAP32[address >> 2]; }
 function $1($0_1, $1_1) {
  var $2_1 = 0, $3_1 = 0, $4_1 = 0;
  HEAP32[$0_1 >> 2] = Math_imul($1_1, 65599) ^ 1431655765;
  $2_1 = loadWord($0_1);
  $3_1 = ($2_1 | 0) > ($1_1 | 0);
  $4_1 = $3_1 ? $2_1 >> 3 : $1_1 | 0;
  if (!($3_1 | 0)) {
   $4_1 = ($4_1 | 0) + ($3_1 | 0) + ($2_1 | 0) | 0;
  }
  return (($4_1 | 0) == ($1_1 | 0)) + ($3_1 | 0) + ($4_1 | 0) | 0;
 }
 function $2($0_1, $1_1) {
  $0_1 = $0_1 | 0;
  $1_1 = $1_1 | 0;
  var $2_1 = 0, $3_1 = 0, $4_1 = 0;
  $2_1 = $0_1 >>> 1;
  $3_1 = ($0_1 | 0) < ($1_1 | 0);
  $4_1 = $1($2_1 + 64 & 4092, $1_1 | 0);
  global$0 = global$0 - 16 | 0;
  HEAPF64[1] = $1_1 / 4;
  return [$2_1 | 0, $3_1 | 0, $4_1 | 0, ($2_1 | 0) == -1, global$0 | 0, global$1 | 0, $3(($1_1 | 0) == ($0_1 | 0), $0_1 >>> 0) | 0, HEAPF64[1] | 0];
 }
 function $3($0_1, $1_1) {
  return ($0_1 | 0) + ($1_1 | 0) | 0;
 }
 function $4($0_1) {
  return ($0_1 | 0) + 1 | 0;
 }
 function $5($0_1, $1_1) {
  return FUNCTION_TABLE[$0_1 | 0]($1_1, $1_1 >>> 0) | 0;
 }
 function $6($0_1, $1_1) {
  return $1_1 | 0;
 }
 var FUNCTION_TABLE = [null, $6];
 return {
  f: $2,
  g: $4,
  h: $5,
  get global() { return global$1; },
  set global(value) { global$1 = value; }
 };
}`;
  const after = int32Coercions(source);
  let bare = after; // without the parentheses the rewrite puts around what it keeps
  while (bare !== (bare = bare.replace(/\(([$\w]+)\)/g, '$1')));
  for (const expected of ['$3_1 = $2_1 > $1_1;', '$4_1 = $3_1 ? $2_1 >> 3 : $1_1;', 'if (!$3_1)', '$4_1 = $4_1 + $3_1 + $2_1 | 0;',
    'return ($4_1 == $1_1) + $3_1 + $4_1 | 0;', '$3_1 = $0_1 < $1_1;', '$1($2_1 + 64 & 4092, $1_1)', '$3_1 | 0, $4_1, ($2_1 | 0) == -1, global$0, global$1 | 0, ($3($1_1 == $0_1, $0_1 >>> 0)), HEAPF64[1] | 0];', 'return $0_1 + ($1_1 | 0) | 0;']) {
    assert.ok(bare.includes(expected), `${expected} in:\n${after}`);
  }
  for (const kept of ['$0_1 = $0_1 | 0;', '$1_1 = $1_1 | 0;', 'return [$2_1 | 0, $3_1 | 0,', '($2_1 | 0) == -1', 'global$1 | 0',
    'return ($0_1 | 0) + 1 | 0;', 'FUNCTION_TABLE[$0_1 | 0]($1_1, $1_1 >>> 0) | 0;', 'HEAPF64[1] | 0', 'return $1_1 | 0;']) {
    assert.ok(after.includes(kept), `${kept} left in:\n${after}`);
  }
  const inputs = [];
  for (const a of [0, 1, 7, -5, 4096, 0x7fffffff, -0x80000000, 0xffffffff, 2.5, '12', undefined, true]) {
    for (const b of [0, 3, -1, 0xfffffffe, 0.5, null]) inputs.push(['f', a, b]);
    inputs.push(['g', a], ['h', 1, a]);
  }
  const calls = (code) => {
    const exports = new Function(`${code}\nreturn asmFunc;`)()();
    exports.global = 2.5;
    return inputs.map(([name, ...args]) => [name, args, exports[name](...args)]);
  };
  assert.deepEqual(calls(after), calls(source));
  // Without the analysis (every `x | 0` gone but the coercions), the results differ.
  const careless = source.replace(/\(([$\w]+) \| 0\)/g, '$1');
  assert.notDeepEqual(calls(careless), calls(source), 'the comparison sees a coercion removed where the value is unsigned, a boolean or foreign');
});

test('unreadInitialisers: a local\'s `= 0` goes where every path assigns it before reading it, and stays where one may not', () => {
  // Locals assigned first (dropped); read in a loop before the loop assigns them, assigned on one
  // branch or past a break, in a switch without a default, on the right of && or in one arm of ?:, in a loop that may not run, in a switch's
  // last case that others break out of (kept); assigned on
  // both branches, before every break, in every case with a default, in both arms of ?: (dropped).
  const source = `function asmFunc() {
 var buffer = new ArrayBuffer(65536);
 var HEAP32 = new Int32Array(buffer);
 var HEAPF64 = new Float64Array(buffer);
 function $1($0_1, $1_1) {
  var $2_1 = 0, $3_1 = 0, $4_1 = 0, $5_1 = 0, $6_1 = 0, $7_1 = 0, $8_1 = 0, $9_1 = 0, $10_1 = 0, $11_1 = 0, $12_1 = 0, $13_1 = 0, $14_1 = 0, $15_1 = 0, $16_1 = 0, $17_1 = 0;
  $2_1 = $0_1 + 1 | 0;
  while (1) {
   $4_1 = $4_1 + $2_1 | 0;
   $3_1 = $3_1 + 1 | 0;
   if ($3_1 >>> 0 < 3) {
    continue
   }
   break;
  };
  if ($1_1 & 1) {
   $5_1 = 5;
   $6_1 = 6;
  } else {
   $6_1 = 7;
  }
  block : {
   if ($1_1 & 2) {
    $7_1 = 9;
    break block;
   }
   if ($1_1 & 4) {
    break block;
   }
   $7_1 = 8;
   $8_1 = 10;
  }
  block1 : {
   if ($1_1 & 8) {
    $9_1 = 3;
    break block1;
   }
   $9_1 = 4;
  }
  switch ($1_1 & 3) {
  case 0:
   $10_1 = 1;
   break;
  case 1:
   $10_1 = 2;
   $11_1 = 2;
   break;
  default:
   $10_1 = 3;
   $17_1 = 3;
  };
  switch ($1_1 & 1) {
  case 0:
   $11_1 = 5;
   break;
  case 1:
   $11_1 = 6;
  };
  $1_1 & 16 && ($14_1 = 7);
  $1_1 & 1 ? ($16_1 = 4) : $1_1;
  while ($1_1 & 64) {
   $15_1 = 1;
   break;
  }
  $13_1 = $1_1 & 32 ? ($12_1 = 1) : ($12_1 = 2, 3);
  return [$2_1, $3_1, $4_1, $5_1, $6_1, $7_1, $8_1, $9_1, $10_1, $11_1, $12_1, $13_1, $14_1, $15_1, $16_1, $17_1];
 }
 return { f: $1 };
}`;
  const after = unreadInitialisers(source);
  assert.ok(after.includes('var $2_1, $3_1 = 0, $4_1 = 0, $5_1 = 0, $6_1, $7_1 = 0, $8_1 = 0, $9_1, $10_1, $11_1 = 0, $12_1, $13_1, $14_1 = 0, $15_1 = 0, $16_1 = 0, $17_1 = 0;'), after);
  const inputs = Array.from({ length: 128 }, (_, i) => ['f', i * 3 - 7, i]);
  assert.deepEqual(run(after, inputs), run(source, inputs));
  const careless = source.replace(/ = 0(?=[,;])/g, '');
  assert.notDeepEqual(run(careless, inputs), run(source, inputs), 'the comparison sees an initialiser dropped where it is read');
  // A function the analysis does not model (a for loop) keeps its initialisers.
  const unmodelled = source.replace('return { f: $1 };', 'function $2() {\n  var $0_1 = 0;\n  for (;;) {\n   $0_1 = 1;\n   break;\n  }\n  return $0_1;\n }\n return { f: $1 };');
  assert.ok(unreadInitialisers(unmodelled).includes('var $0_1 = 0;\n  for'));
});

test('functionsAsArrows: the translation\'s functions as arrow functions in vars, where nothing can tell them apart', () => {
  // Functions that call each other (one before its declaration, at run time), a table that lists
  // them, exports; and the shapes that fail the build: a function read before its var is
  // assigned, one called by asmFunc's own code before the functions end, one that reads arguments.
  const source = `function asmFunc() {
 var HEAP32 = new Int32Array(new ArrayBuffer(65536));
 var global$0 = 1024;
 function $1($0_1, $1_1) {
  return $2($0_1) + $1_1 | 0;
 }
 function $2($0_1) {
  global$0 = global$0 - 16 | 0;
  HEAP32[global$0 >> 2] = $0_1;
  return HEAP32[global$0 >> 2] << 1;
 }
 var FUNCTION_TABLE = [null, $1];
 function $3($0_1, $1_1) {
  return FUNCTION_TABLE[$0_1]($1_1, global$0);
 }
 return { f: $3, g: $2 };
}`;
  const after = functionsAsArrows(source);
  for (const arrow of ['var $1 = ($0_1, $1_1) => {', 'var $2 = ($0_1) => {', 'var $3 = ($0_1, $1_1) => {']) assert.ok(after.includes(arrow), `${arrow} in:\n${after}`);
  const calls = (code) => {
    const exports = new Function(`${code}\nreturn asmFunc;`)()();
    return [exports.f(1, 5), exports.g(7), exports.f(1, -3), typeof exports.f];
  };
  assert.deepEqual(calls(after), calls(source));
  assert.throws(() => functionsAsArrows(source.replace(' var FUNCTION_TABLE = [null, $1];\n', '').replace(' function $1(', ' var FUNCTION_TABLE = [null, $1];\n function $1(')), /changed shape/);
  assert.throws(() => functionsAsArrows(source.replace(' var global$0 = 1024;', ' var global$0 = $2(1024);')), /changed shape/);
  assert.throws(() => functionsAsArrows(source.replace('return $2($0_1) + $1_1 | 0;', 'return $2(arguments[0]) + $1_1 | 0;')), /changed shape/);
  // The same test run on a careless rewrite (a function read before its var is assigned) fails.
  const careless = after.replace(' var FUNCTION_TABLE = [null, $1];\n', '').replace(' var $1 = (', ' var FUNCTION_TABLE = [null, $1];\n var $1 = (');
  assert.throws(() => calls(careless));
});
