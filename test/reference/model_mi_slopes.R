# model --missing mi pools its simple slopes as mice::pool would (issue 19): the slope of x at a level of the
# interaction column is the coefficient of x when that level is the reference, so relevelling the factor and pooling
# the lm fits with mice::pool gives the pooled slope, its SE, df, p and interval. The file:
# test/reference/model_mi_slopes/imputations.csv from
#   canrelax-analyze model examples/canrelax-synthetic.csv --where arm=app --y distress --x alliance --interaction sex \
#     --adjust age,baseline --missing mi --imputations 5 --seed 21 --write-imputations test/reference/model_mi_slopes
# Run from the repository root: Rscript test/reference/model_mi_slopes.R  (writes test/reference/model_mi_slopes.json)
suppressPackageStartupMessages({ library(mice); library(jsonlite) })
long <- read.csv("test/reference/model_mi_slopes/imputations.csv", check.names = FALSE, stringsAsFactors = FALSE)
sets <- split(long, long$.imp)
slopes <- list()
for (level in c("female", "male")) {
  fits <- as.mira(lapply(sets, function(d) {
    d$sex <- relevel(factor(d$sex), ref = level)
    lm(phqads_total_w10 ~ wai_total * sex + age + phqads_total_t0, data = d)
  }))
  s <- summary(pool(fits), conf.int = TRUE)
  i <- which(s$term == "wai_total")
  slopes[[level]] <- list(estimate = s$estimate[i], se = s$std.error[i], t = s$statistic[i], df = s$df[i], p = s$p.value[i],
    ci = c(s[["2.5 %"]][i], s[["97.5 %"]][i]))
}
out <- list(mice_version = as.character(packageVersion("mice")), m = length(sets), slopes = slopes)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "test/reference/model_mi_slopes.json")
