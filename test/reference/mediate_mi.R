# mediate --missing mi pooled exactly as mice (issue 19): R pools the completed data sets `canrelax-analyze` wrote, and
# test/cli/mediate-mi.test.ts checks that our pooled paths equal these to 1e-8. The file:
# test/reference/mediate_mi/imputations.csv from
#   canrelax-analyze mediate examples/canrelax-synthetic.csv --where arm=app --x expectation --m alliance --y distress \
#     --adjust age,sex,baseline --missing mi --imputations 5 --seed 12 --bootstrap 0 --write-imputations test/reference/mediate_mi
# (mice::complete(imp, "long") layout). Each path is lm on every completed data set, pooled by mice::pool on the
# list of fits (as.mira: mice's with() without the mids), summary(conf.int = TRUE); dfcom is each lm's df.residual.
# The indirect effect's point estimate is the mean over the imputations of a_i * b_i.
# Run from the repository root: Rscript test/reference/mediate_mi.R  (writes test/reference/mediate_mi.json)
suppressPackageStartupMessages({ library(mice); library(jsonlite) })
long <- read.csv("test/reference/mediate_mi/imputations.csv", check.names = FALSE, stringsAsFactors = FALSE)
long$sex <- factor(long$sex)
sets <- split(long, long$.imp)
m <- length(sets)
covs <- "age + sex + phqads_total_t0"
fits <- function(formula) as.mira(lapply(sets, function(d) lm(as.formula(formula), data = d)))
pooled <- function(fit, term) {
  p <- pool(fit)
  s <- summary(p, conf.int = TRUE)
  i <- which(s$term == term)
  q <- p$pooled[i, ]
  list(estimate = s$estimate[i], se = s$std.error[i], t = s$statistic[i], df = s$df[i], p = s$p.value[i],
    ci = c(s[["2.5 %"]][i], s[["97.5 %"]][i]), ubar = q$ubar, b = q$b, total = q$t, riv = q$riv, lambda = q$lambda,
    fmi = q$fmi, dfcom = q$dfcom)
}
a_fit <- fits(paste("wai_total ~ expectation +", covs))
b_fit <- fits(paste("phqads_total_w10 ~ expectation + wai_total +", covs))
c_fit <- fits(paste("phqads_total_w10 ~ expectation +", covs))
a_i <- sapply(a_fit$analyses, function(f) coef(f)[["expectation"]])
b_i <- sapply(b_fit$analyses, function(f) coef(f)[["wai_total"]])
out <- list(mice_version = as.character(packageVersion("mice")), m = m, n = nrow(sets[[1]]),
  a = pooled(a_fit, "expectation"), b = pooled(b_fit, "wai_total"), c = pooled(c_fit, "expectation"),
  c_prime = pooled(b_fit, "expectation"), indirect = mean(a_i * b_i))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "test/reference/mediate_mi.json")
