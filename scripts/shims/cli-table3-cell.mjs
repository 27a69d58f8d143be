// cli-table3's cell.js, with its option merge made cheap.
//
// Every cell copies 17 options from the table (15 border characters, two paddings) through setOption, which
// splits, capitalises and joins the option's name and filters an argument array on every call: ~250 calls a
// cell, most of the time a table takes in a short run. The two functions below do the same with the camel-case
// names remembered and the first defined value found by a loop. Same results (test/render/cli-table3.test.ts
// compares tables drawn with and without this); the build stops if cell.js no longer has the code replaced.
const ORIGINAL = `function firstDefined(...args) {
  return args.filter((v) => v !== undefined && v !== null).shift();
}

// HELPER FUNCTIONS
function setOption(objA, objB, nameB, targetObj) {
  let nameA = nameB.split('-');
  if (nameA.length > 1) {
    nameA[1] = nameA[1].charAt(0).toUpperCase() + nameA[1].substr(1);
    nameA = nameA.join('');
    targetObj[nameA] = firstDefined(objA[nameA], objA[nameB], objB[nameA], objB[nameB]);
  } else {
    targetObj[nameB] = firstDefined(objA[nameB], objB[nameB]);
  }
}`;

const REPLACEMENT = `function firstDefined(...args) {
  for (let i = 0; i < args.length; i++) if (args[i] !== undefined && args[i] !== null) return args[i];
  return undefined;
}

// HELPER FUNCTIONS
// camelNames: option name ('top-left') -> the camel-case name cli-table3 also accepts ('topLeft'), or null.
const camelNames = new Map();
function setOption(objA, objB, nameB, targetObj) {
  let nameA = camelNames.get(nameB);
  if (nameA === undefined) {
    nameA = nameB.split('-');
    if (nameA.length > 1) {
      nameA[1] = nameA[1].charAt(0).toUpperCase() + nameA[1].substr(1);
      nameA = nameA.join('');
    } else {
      nameA = null;
    }
    camelNames.set(nameB, nameA);
  }
  if (nameA !== null) {
    targetObj[nameA] = firstDefined(objA[nameA], objA[nameB], objB[nameA], objB[nameB]);
  } else {
    targetObj[nameB] = firstDefined(objA[nameB], objB[nameB]);
  }
}`;

/** The source of cell.js with the cheap option merge; throws when the code to replace is not there. */
export function patchCellSource(source) {
  const normalised = source.replace(/\r\n/g, '\n');
  if (!normalised.includes(ORIGINAL)) {
    throw new Error('cli-table3/src/cell.js has changed: update scripts/shims/cli-table3-cell.mjs (or drop the patch)');
  }
  return normalised.replace(ORIGINAL, REPLACEMENT);
}
