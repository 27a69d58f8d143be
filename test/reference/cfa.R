# Reference values for the CFA core (src/stats/cfa.ts, cfa-fit.ts) and `canrelax-analyze measure` (analyses/measure.ts):
# lavaan's cfa() with its defaults (ML, listwise, marker loadings, expected information), fitMeasures(),
# std.all loadings, factor correlations, McDonald's omega from the unstandardized estimates, raw alpha (psych::alpha),
# and invariance across groups (configural; group.equal = "loadings"; c("loadings", "intercepts")) with lavTestLRT.
#
# Data sets (written to test/reference/cfa/ by this script, from fixed seeds, so the tests need no R):
#   example       examples/canrelax-synthetic.csv: WAI-I (task, bond, goal) by sex; PHQ-ADS at t0 (phq9, gad7)
#   invariant     3 factors × 4 items, two groups (n 300, 260): equal loadings and intercepts, different latent
#                 means and variances — every invariance level holds by construction
#   noscalar      the same population but three intercepts in group b shifted by +0.6 — scalar fails by construction
#   user          a user's instrument (test/reference/cfa/user.instrument.json): 2 factors, items 1–7, one reversed
#                 item (reversed as 8 − x before the fit, as the scorer does)
#   improper      two factors of three items whose population correlation is 1: lavaan's latent covariance
#                 matrix is not positive definite (the first seed from 1 where it is)
# Run: Rscript test/reference/cfa.R > test/reference/cfa.json
suppressMessages({ library(lavaan); library(jsonlite); library(psych) })
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
dir <- file.path(here, "cfa")

syntax <- function(factors) paste(sapply(names(factors), function(f) paste(f, "=~", paste(factors[[f]], collapse = " + "))), collapse = "\n")

single <- function(d, factors) {
  items <- unlist(factors, use.names = FALSE)
  d <- d[complete.cases(d[, items]), ]
  fit <- cfa(syntax(factors), data = d)
  fm <- fitMeasures(fit, c("chisq", "df", "pvalue", "cfi", "tli", "rmsea", "rmsea.ci.lower", "rmsea.ci.upper", "srmr"))
  pe <- parameterEstimates(fit, standardized = TRUE)
  load <- pe[pe$op == "=~", ]
  lv <- lavInspect(fit, "cor.lv")
  est <- lavInspect(fit, "est")
  omega <- lapply(names(factors), function(f) {
    l <- est$lambda[factors[[f]], f]; th <- diag(est$theta)[factors[[f]]]
    w <- sum(l)^2 * est$psi[f, f] / (sum(l)^2 * est$psi[f, f] + sum(th))
    # psych::alpha prints a note on items with few categories to stdout: keep it out of the JSON
    capture.output(a <- suppressWarnings(psych::alpha(d[, factors[[f]]], check.keys = FALSE)$total$raw_alpha))
    list(factor = f, omega = w, alpha = a)
  })
  cors <- list()
  fs <- names(factors)
  for (i in seq_along(fs)) for (j in seq_along(fs)) if (i < j) cors[[length(cors) + 1]] <- list(a = fs[i], b = fs[j], r = lv[fs[i], fs[j]])
  list(
    n = nobs(fit), converged = lavInspect(fit, "converged"),
    fit = as.list(unclass(fm)),
    loadings = lapply(seq_len(nrow(load)), function(k) list(factor = load$lhs[k], item = load$rhs[k], estimate = load$est[k], se = load$se[k], std = load$std.all[k])),
    factor_correlations = cors, omega = omega,
    latent_pd = all(eigen(lavInspect(fit, "cov.lv"), symmetric = TRUE, only.values = TRUE)$values > 0),
    min_residual_variance = min(diag(est$theta))
  )
}

invariance <- function(d, factors, by) {
  items <- unlist(factors, use.names = FALSE)
  d <- d[complete.cases(d[, c(items, by)]), ]
  m <- syntax(factors)
  fc <- cfa(m, data = d, group = by)
  fm <- cfa(m, data = d, group = by, group.equal = "loadings")
  fs <- cfa(m, data = d, group = by, group.equal = c("loadings", "intercepts"))
  row <- function(name, f) c(list(model = name), as.list(unclass(fitMeasures(f, c("chisq", "df", "cfi", "rmsea")))))
  lrt <- lavTestLRT(fc, fm, fs)
  test <- function(name, k, a, b) list(model = name, delta_chisq = lrt[["Chisq diff"]][k], delta_df = lrt[["Df diff"]][k], p = lrt[["Pr(>Chisq)"]][k],
    delta_cfi = fitMeasures(b, "cfi")[[1]] - fitMeasures(a, "cfi")[[1]], delta_rmsea = fitMeasures(b, "rmsea")[[1]] - fitMeasures(a, "rmsea")[[1]])
  list(by = by, groups = as.list(table(d[[by]])), n = nrow(d),
    models = list(row("configural", fc), row("metric", fm), row("scalar", fs)),
    tests = list(test("metric", 2, fc, fm), test("scalar", 3, fm, fs)))
}

wai <- list(task = c("wai_1", "wai_2", "wai_10", "wai_12"), bond = c("wai_3", "wai_5", "wai_7", "wai_9"), goal = c("wai_4", "wai_6", "wai_8", "wai_11"))
example <- read.csv(file.path(here, "..", "..", "examples", "canrelax-synthetic.csv"))
phq <- list(phq9 = paste0("phq9_", 1:9, "_t0"), gad7 = paste0("gad7_", 1:7, "_t0"))

# A known population: three factors of four items, loadings .6–.9 (marker 1 on each), factor correlations .3–.5.
population <- function(n, latent_mean, latent_sd, intercept_shift, seed) {
  set.seed(seed)
  lambda <- c(1, .8, .9, .7, 1, .6, .85, .75, 1, .9, .7, .8)
  fac <- rep(1:3, each = 4)
  phi <- matrix(c(1, .5, .3, .5, 1, .4, .3, .4, 1), 3)
  eta <- matrix(rnorm(n * 3), n) %*% chol(phi)
  eta <- sweep(sweep(eta, 2, latent_sd, "*"), 2, latent_mean, "+")
  x <- sapply(1:12, function(j) 3 + intercept_shift[j] + lambda[j] * eta[, fac[j]] + rnorm(n, sd = .6))
  x <- round(x, 3)
  colnames(x) <- paste0("y", 1:12)
  as.data.frame(x)
}
known <- list(f1 = paste0("y", 1:4), f2 = paste0("y", 5:8), f3 = paste0("y", 9:12))
none <- rep(0, 12)
invariant <- rbind(cbind(group = "a", population(300, c(0, 0, 0), c(1, 1, 1), none, 11)),
                   cbind(group = "b", population(260, c(.3, -.2, .4), c(1.2, .9, 1.1), none, 12)))
shift <- none; shift[c(2, 6, 11)] <- .6
noscalar <- rbind(cbind(group = "a", population(300, c(0, 0, 0), c(1, 1, 1), none, 21)),
                  cbind(group = "b", population(260, c(.3, -.2, .4), c(1.2, .9, 1.1), shift, 22)))
# A few missing cells, for listwise deletion.
invariant$y3[c(5, 77)] <- NA; invariant$group[400] <- NA
write.csv(invariant, file.path(dir, "invariant.csv"), row.names = FALSE, na = "")
write.csv(noscalar, file.path(dir, "noscalar.csv"), row.names = FALSE, na = "")

# A user's instrument: "coping" with factors active (c1–c5) and avoid (c6–c9), answers 1–7, c4 reversed.
set.seed(31)
n <- 350
eta <- matrix(rnorm(n * 2), n) %*% chol(matrix(c(1, -.35, -.35, 1), 2))
lam <- c(1, .9, .8, -.85, .7, 1, .8, .9, .75)
fac <- c(1, 1, 1, 1, 1, 2, 2, 2, 2)
user <- sapply(1:9, function(j) pmin(7, pmax(1, round(4 + 1.1 * lam[j] * eta[, fac[j]] + rnorm(n, sd = .9)))))
colnames(user) <- paste0("c", 1:9)
user <- as.data.frame(user)
user$site <- rep(c("north", "south"), length.out = n)
write.csv(user, file.path(dir, "user.csv"), row.names = FALSE)
keyed <- user; keyed$c4 <- 8 - keyed$c4
coping <- list(active = paste0("c", 1:5), avoid = paste0("c", 6:9))

# Improper: two factors whose population correlation is 1, small n; the first seed where lavaan's cov.lv is not PD.
for (seed in 1:200) {
  set.seed(seed)
  eta <- rnorm(60)
  imp <- as.data.frame(round(sapply(1:6, function(j) eta * c(1, .8, .7, 1, .8, .7)[j] + rnorm(60, sd = .7)), 3))
  colnames(imp) <- paste0("x", 1:6)
  fit <- suppressWarnings(cfa("a =~ x1 + x2 + x3\nb =~ x4 + x5 + x6", data = imp))
  if (any(eigen(lavInspect(fit, "cov.lv"), only.values = TRUE)$values <= 0)) break
}
write.csv(imp, file.path(dir, "improper.csv"), row.names = FALSE)
improper_factors <- list(a = paste0("x", 1:3), b = paste0("x", 4:6))

out <- list(
  example = list(wai = c(single(example, wai), list(invariance = invariance(example, wai, "sex"))), phqads_t0 = single(example, phq),
                 wai_by_sex = single(example[!is.na(example$sex), ], wai)),
  invariant = c(single(invariant[!is.na(invariant$group), ], known), list(invariance = invariance(invariant, known, "group"))),
  noscalar = c(single(noscalar, known), list(invariance = invariance(noscalar, known, "group"))),
  user = c(single(keyed, coping), list(invariance = invariance(keyed, coping, "site"))),
  improper = c(list(seed = seed), single(imp, improper_factors))
)
cat(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "\n")
