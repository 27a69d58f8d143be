# Pooling exact (issue 12): R pools the completed data sets `canrelax-analyze` wrote, and the tests check that
# our pooling of the same files equals R's to 1e-10. The files: test/reference/mi_pool/imputations.csv from
#   canrelax-analyze correlate examples/canrelax-synthetic.csv --where arm=app --adjust age,sex,baseline,expectation \
#     --missing mi --imputations 5 --seed 12 --write-imputations test/reference/mi_pool
# (mice::complete(imp, "long") layout); the incomplete data (.imp = 0 for as.mids) are the same rows' scores,
# test/reference/mi_app_scores.csv (`score --where arm=app`), in the same order (.id).
# - Partial correlations: Rubin's rules on Fisher's z by the formula (W = 1/(n - 3 - k), dfcom = n - 2 - k,
#   mice:::barnard.rubin), the r of each imputation from lm residuals.
# - Model coefficients: mice::pool on lm fits (with() on as.mids), summary(conf.int = TRUE), and pool.r.squared.
# Run from the repository root: Rscript test/reference/mi_pool.R  (writes test/reference/mi_pool.json)
suppressPackageStartupMessages({ library(mice); library(jsonlite) })
long <- read.csv("test/reference/mi_pool/imputations.csv", check.names = FALSE, stringsAsFactors = FALSE)
orig <- read.csv("test/reference/mi_app_scores.csv", stringsAsFactors = FALSE)
vars <- setdiff(names(long), c(".imp", ".id"))
zero <- data.frame(.imp = 0, .id = seq_len(nrow(orig)), orig[vars], check.names = FALSE)
all <- rbind(zero, long)
all$sex <- factor(all$sex)
imp <- as.mids(all)
m <- imp$m
n <- nrow(orig)
covs <- "age + sex + phqads_total_t0 + expectation"
k <- 4
partial <- function(data, x) {
  rx <- resid(lm(as.formula(paste(x, "~", covs)), data = data))
  ry <- resid(lm(as.formula(paste("phqads_total_w10 ~", covs)), data = data))
  cor(rx, ry)
}
correlations <- list()
for (x in c("wai_total", "wai_bond", "wai_task", "wai_goal")) {
  r <- sapply(seq_len(m), function(i) partial(complete(imp, i), x))
  z <- atanh(r)
  qbar <- mean(z); b <- var(z); w <- 1 / (n - 3 - k); t <- w + (1 + 1 / m) * b
  df <- mice:::barnard.rubin(m, b, t, dfcom = n - 2 - k)
  q <- qt(0.975, df)
  tstat <- qbar / sqrt(t)
  riv <- (1 + 1 / m) * b / w
  correlations[[x]] <- list(rs = r, r = tanh(qbar), ci = tanh(c(qbar - q * sqrt(t), qbar + q * sqrt(t))), t = tstat, df = df,
    p = 2 * pt(-abs(tstat), df), within = w, between = b, total = t, riv = riv, lambda = (1 + 1 / m) * b / t,
    fmi = (riv + 2 / (df + 3)) / (riv + 1))
}
fit <- with(imp, lm(phqads_total_w10 ~ wai_total + age + sex + phqads_total_t0 + expectation))
pooled <- pool(fit)
s <- summary(pooled, conf.int = TRUE)
p <- pooled$pooled
model <- list(term = as.character(s$term), estimate = s$estimate, std_error = s$std.error, statistic = s$statistic, df = s$df,
  p = s$p.value, ci_lower = s[["2.5 %"]], ci_upper = s[["97.5 %"]], riv = p$riv, lambda = p$lambda, fmi = p$fmi,
  ubar = p$ubar, b = p$b, t = p$t, dfcom = p$dfcom)
r2 <- pool.r.squared(fit)
out <- list(mice_version = as.character(packageVersion("mice")), m = m, n = n, correlations = correlations, model = model,
  r_squared = list(estimate = r2[1, "est"], lower = r2[1, "lo 95"], upper = r2[1, "hi 95"], fmi = r2[1, "fmi"]))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "test/reference/mi_pool.json")
