# Reference values for `robustness` (src/analyses/robustness.ts) on the shared sat_act data: x = ACT and SATV,
# y = SATQ, every subset of the covariates age, education, sex (text: female the reference, sexmale) × Pearson,
# Spearman × influential rows kept or removed (Cook's distance of lm(SATQ ~ x + age + education + sex) above 4/n).
# Partial r as the correlation of lm residuals (ppcor's definition); Spearman on the ranks (average ties) of x, y and
# the numeric covariates within the specification's rows, the factor as it is; p from t on n − 2 − k df, CI by Fisher z.
# Run: Rscript test/reference/robustness.R > test/reference/robustness.json
suppressMessages(library(jsonlite))
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
d <- read.csv(file.path(here, "..", "..", "..", "shared", "reference", "sat_act.csv"))
d$sex <- factor(d$sex)
covariates <- c("age", "education", "sex")
subsets <- unlist(lapply(3:0, function(k) combn(covariates, k, simplify = FALSE)), recursive = FALSE)
if (length(subsets) != 8) subsets <- c(subsets, list(character(0)))
subsets <- unique(c(subsets, list(character(0))))

partial <- function(s, x, covs, spearman) {
  xs <- s[[x]]; ys <- s$SATQ
  z <- s[, covs, drop = FALSE]
  if (spearman) {
    xs <- rank(xs); ys <- rank(ys)
    for (c in covs) if (is.numeric(z[[c]])) z[[c]] <- rank(z[[c]])
  }
  if (length(covs) == 0) {
    r <- cor(xs, ys); k <- 0
  } else {
    ex <- resid(lm(xs ~ ., data = z)); ey <- resid(lm(ys ~ ., data = z))
    r <- cor(ex, ey)
    k <- ncol(model.matrix(~ ., data = z)) - 1
  }
  n <- nrow(s); df <- n - 2 - k
  t <- r * sqrt(df / (1 - r^2))
  half <- qnorm(0.975) / sqrt(n - 3 - k)
  list(covariates = I(covs), method = if (spearman) "spearman" else "pearson", n = n, k = k, r = r,
       ci = tanh(atanh(r) + c(-1, 1) * half), p = 2 * pt(-abs(t), df))
}

curves <- lapply(c("ACT", "SATV"), function(x) {
  s <- d[complete.cases(d[, c(x, "SATQ", covariates)]), ]
  fit <- lm(as.formula(paste("SATQ ~", x, "+ age + education + sex")), s)
  cd <- cooks.distance(fit)
  influential <- s$id[cd > 4 / nrow(s)]
  specs <- list()
  for (covs in subsets) for (rule in c("kept", "removed")) for (spearman in c(FALSE, TRUE)) {
    rows <- d[complete.cases(d[, c(x, "SATQ", covs)]), ]
    if (rule == "removed") rows <- rows[!(rows$id %in% influential), ]
    one <- partial(rows, x, covs, spearman)
    one$influential <- rule
    specs[[length(specs) + 1]] <- one
  }
  list(x = x, threshold = 4 / nrow(s), influential = I(influential), specifications = specs)
})
cat(toJSON(list(r_version = R.version.string, curves = curves), auto_unbox = TRUE, digits = NA, pretty = TRUE), "\n")
