// pdfkit and svg-to-pdfkit ship no type declarations (and @types/pdfkit is not a dependency): their imports are
// untyped here, as they were when required. figure-files.ts is their one user.
declare module 'pdfkit';
declare module 'svg-to-pdfkit';
