/**
 * What `report` can write (--formats, --figures): the report documents and the figure files. Kept apart from the
 * writers, which load their libraries on demand, so that the command line can name them at start-up.
 */

/** report.json, report.md, report.html, report.docx. */
export const REPORT_FORMATS = ['json', 'md', 'html', 'docx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** NAME.svg, NAME.png (300 dpi), NAME.pdf (vector) for each figure. */
export const FIGURE_FORMATS = ['svg', 'png', 'pdf'] as const;
export type FigureFormat = (typeof FIGURE_FORMATS)[number];

/**
 * The creation date written into PDF and DOCX files when the run records no time (no --timestamp): fixed, so that
 * two runs give the same bytes.
 */
export const FIXED_DATE = new Date(Date.UTC(2000, 0, 1));
