# Reference values for test/cli/bayes.test.ts: `correlate --bayes` on ../shared/reference/sat_act.csv.
# Run from the repository root:  Rscript test/reference/bayes_cli.R  (writes test/reference/bayes_cli.json)
#
# BF10 of a partial correlation (JZS, rscale 1; Wetzels & Wagenmakers 2012) as the ratio of two regression Bayes
# factors against the intercept-only model, each from lm's R² on the same complete cases:
#   BF10 = exp(linearReg.R2stat(N = n, p = k + 1, R2 = R²(y | x, Z), rscale = 1)$bf)
#        / exp(linearReg.R2stat(N = n, p = k,     R2 = R²(y | Z),    rscale = 1)$bf)      (denominator 1 when k = 0)
# k counts covariate columns after coding (text sex: one indicator). Cases as the CLI runs them (listwise deletion
# over x, y and the covariates; --by: within each stratum, the stratifier not a covariate).
suppressPackageStartupMessages({
  library(BayesFactor)
  library(jsonlite)
})

s <- read.csv("../shared/reference/sat_act.csv", na.strings = "", stringsAsFactors = FALSE)

bf_case <- function(d, x, y, covs, label) {
  d <- d[complete.cases(d[, c(x, y, covs)]), ]
  n <- nrow(d)
  rhs_red <- if (length(covs)) paste(covs, collapse = " + ") else "1"
  full <- lm(as.formula(paste(y, "~", paste(c(x, covs), collapse = " + "))), data = d)
  red <- lm(as.formula(paste(y, "~", rhs_red)), data = d)
  k <- length(coef(red)) - 1
  r2_full <- summary(full)$r.squared
  r2_red <- if (k == 0) 0 else summary(red)$r.squared
  log_full <- linearReg.R2stat(N = n, p = k + 1, R2 = r2_full, rscale = 1)$bf
  log_red <- if (k == 0) 0 else linearReg.R2stat(N = n, p = k, R2 = r2_red, rscale = 1)$bf
  # the partial r, for orientation: sign of x's coefficient times sqrt of the partial R²
  partial_r <- sign(coef(full)[[x]]) * sqrt((r2_full - r2_red) / (1 - r2_red))
  list(label = label, x = x, y = y, covariates = covs, n = n, k = k, r = partial_r,
       r2_full = r2_full, r2_reduced = r2_red, log_bf10 = log_full - log_red, bf10 = exp(log_full - log_red))
}

cases <- list(
  bf_case(s, "ACT", "SATQ", c("age", "education"), "ACT-SATQ | age, education"),
  bf_case(s, "ACT", "SATQ", character(0), "ACT-SATQ, no covariates"),
  bf_case(s, "ACT", "SATQ", c("age", "sex", "education"), "ACT-SATQ | age, sex (text), education"),
  bf_case(s, "SATV", "SATQ", c("age", "gender", "education"), "SATV-SATQ | age, gender, education"),
  bf_case(s, "age", "SATV", c("education"), "age-SATV | education (BF10 < 1)"),
  bf_case(s[s$gender == 1, ], "ACT", "SATQ", c("age", "education"), "ACT-SATQ | age, education; gender 1"),
  bf_case(s[s$gender == 2, ], "ACT", "SATQ", c("age", "education"), "ACT-SATQ | age, education; gender 2")
)

out <- list(cases = cases,
            versions = list(R = R.version.string, BayesFactor = as.character(packageVersion("BayesFactor"))))
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "test/reference/bayes_cli.json")
