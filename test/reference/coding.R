# Reference values for test/analyses/coding.test.ts: one treatment coding in correlate, model and the report's
# added-variable step (src/data/design.ts), with --ref sex=male and --categorical education.
# Run from the repository root:  Rscript test/reference/coding.R  (writes test/reference/coding.json)
# Data: ../shared/reference/sat_act.csv; sex re-levelled to male, education a factor (0 the reference).
suppressPackageStartupMessages(library(jsonlite))

d <- read.csv("../shared/reference/sat_act.csv", na.strings = "")
d <- d[complete.cases(d[, c("SATQ", "ACT", "sex", "age", "education")]), ]
d$sex <- relevel(factor(d$sex), ref = "male")
d$education <- factor(d$education)

fit <- lm(SATQ ~ ACT + age + sex + education, data = d)
# Z as model.matrix codes it: the columns, their names, and the first rows' values.
Z <- model.matrix(~ age + sex + education, data = d)
# Partial r of ACT and SATQ given Z, as the correlation of their residuals on Z (ppcor's definition).
ex <- resid(lm(ACT ~ age + sex + education, data = d))
ey <- resid(lm(SATQ ~ age + sex + education, data = d))
# Spearman partial: the same on ranks, factor indicators unranked (ppcor ranks every column; with 0/1 columns
# ranking is an affine map of each indicator, so the column space is the same).
rz <- model.matrix(~ rank(age) + sex + education, data = d)
sx <- resid(lm(rank(d$ACT) ~ rz - 1))
sy <- resid(lm(rank(d$SATQ) ~ rz - 1))

out <- list(
  n = nrow(d),
  terms = colnames(model.matrix(fit)),
  estimate = unname(coef(fit)),
  covariates = colnames(Z)[-1],
  z_rows = unname(Z[1:5, -1]),
  ids = d$id[1:5],
  partial_r = cor(ex, ey),
  spearman_partial_r = cor(sx, sy)
)
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "test/reference/coding.json")
