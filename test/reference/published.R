# Reference values for test/analyses/published.test.ts: every value and claim of examples/published/canrelax-2026.json
# recomputed in R on the fixtures test/reference/published/match-<seed>.csv, which are
#   canrelax-analyze simulate --match examples/published/canrelax-2026.json --seed <seed>   (seeds 2026, 1, 7, 99).
# Run from the repository root:  Rscript test/reference/published.R  (writes test/reference/published.json)
#
# Independent of the TypeScript code: the published file is read with jsonlite, its "where" filters (col=value,
# comma = and) and roles are interpreted here, and the scores are computed from the items with the README's rules
# ("Instruments"), as test/reference/describe.R does:
#   wai (items 1-5): task 1,2,10,12; bond 3,5,7,9; goal 4,6,8,11; total all 12; mean of the answered items when at
#     least ceiling(0.75 * items - 1e-9) are answered; phqads: phq9 (>= 7 of 9) + gad7 (>= 6 of 7), prorated sums.
# Statistics (listwise per analysis):
#   rows: nrow of the filtered data; mean with t.test()'s interval; sd() with the chi-square interval
#   sqrt((n - 1) s^2 / qchisq(c(.975, .025), n - 1)); r: cor.test(); partial r: cor() of the residuals of lm(x ~
#   covariates) and lm(y ~ covariates) (sex a factor), t test on n - 2 - k df, Fisher z interval 1/sqrt(n - 3 - k);
#   stratum order: Fisher z difference and Zou's (2007) interval; a model term: coef(), confint() of lm().
# The WAI-I's factor model (simulate --match accepts a file only when it is proper): lavaan's cfa() with its defaults
# on the app arm (listwise on the 12 items), pooled and by sex as configural, metric and scalar models; "proper" is
# converged with lavInspect(fit, "post.check") TRUE in every model (no negative variance, latent covariance matrix
# positive definite), and the configural factor correlations per sex are recorded.
suppressPackageStartupMessages(library(jsonlite))
suppressPackageStartupMessages(library(lavaan))

pub <- fromJSON("examples/published/canrelax-2026.json", simplifyVector = FALSE)
roles <- c(alliance = "wai_total", bond = "wai_bond", task = "wai_task", goal = "wai_goal",
           baseline = "phqads_total_t0", distress = "phqads_total_w10")
col <- function(name) if (name %in% names(roles)) roles[[name]] else name

score <- function(d) {
  need <- function(k, frac) ceiling(frac * k - 1e-9)
  mean_score <- function(items, frac = 0.75) {
    m <- as.matrix(d[, items]); answered <- rowSums(!is.na(m))
    ifelse(answered >= need(length(items), frac), rowMeans(m, na.rm = TRUE), NA)
  }
  prorated <- function(items, frac) {
    m <- as.matrix(d[, items]); answered <- rowSums(!is.na(m))
    s <- ifelse(answered == length(items), rowSums(m), rowMeans(m, na.rm = TRUE) * length(items))
    ifelse(answered >= need(length(items), frac), s, NA)
  }
  w <- function(i) paste0("wai_", i)
  d$wai_task <- mean_score(w(c(1, 2, 10, 12)))
  d$wai_bond <- mean_score(w(c(3, 5, 7, 9)))
  d$wai_goal <- mean_score(w(c(4, 6, 8, 11)))
  d$wai_total <- mean_score(w(1:12))
  for (tp in c("t0", "w10")) {
    d[[paste0("phqads_total_", tp)]] <- prorated(paste0("phq9_", 1:9, "_", tp), 7 / 9) +
      prorated(paste0("gad7_", 1:7, "_", tp), 6 / 7)
  }
  d
}

filtered <- function(d, where) {
  if (is.null(where) || where == "") return(d)
  for (cond in strsplit(where, ",")[[1]]) {
    kv <- strsplit(cond, "=")[[1]]
    d <- d[!is.na(d[[kv[1]]]) & as.character(d[[kv[1]]]) == kv[2], ]
  }
  d
}

estimate <- function(d, s) {
  a <- pub$analyses[[s$analysis]]
  d <- filtered(d, a$where)
  stat <- s$statistic
  if (stat == "rows") return(list(value = nrow(d), n = nrow(d), ci = NULL))
  if (stat %in% c("mean", "sd")) {
    x <- d[[col(s$variable)]]; x <- x[!is.na(x)]; n <- length(x)
    if (stat == "mean") return(list(value = mean(x), n = n, ci = as.numeric(t.test(x)$conf.int)))
    return(list(value = sd(x), n = n, ci = sqrt((n - 1) * var(x) / qchisq(c(0.975, 0.025), n - 1))))
  }
  y <- if (!is.null(s$y)) s$y else a$y
  xc <- col(s$x); yc <- col(y)
  if (stat == "r") {
    ok <- !is.na(d[[xc]]) & !is.na(d[[yc]])
    ct <- cor.test(d[[xc]][ok], d[[yc]][ok])
    return(list(value = unname(ct$estimate), n = sum(ok), k = 0, p = ct$p.value, ci = as.numeric(ct$conf.int)))
  }
  covs <- vapply(unlist(a$adjust), col, "")
  m <- d[, c(xc, yc, covs)]
  m <- m[complete.cases(m), ]
  covs <- covs[vapply(covs, function(c) length(unique(m[[c]])) > 1, TRUE)]
  for (c in covs) if (is.character(m[[c]])) m[[c]] <- factor(m[[c]])
  rhs <- paste(covs, collapse = " + ")
  ex <- resid(lm(as.formula(paste(xc, "~", rhs)), data = m))
  ey <- resid(lm(as.formula(paste(yc, "~", rhs)), data = m))
  r <- cor(ex, ey); n <- nrow(m); k <- ncol(model.matrix(as.formula(paste("~", rhs)), m)) - 1
  df <- n - 2 - k; t <- r * sqrt(df / (1 - r^2))
  list(value = r, n = n, k = k, p = 2 * pt(-abs(t), df),
       ci = tanh(atanh(r) + c(-1, 1) * qnorm(0.975) / sqrt(n - 3 - k)))
}

fisher_difference <- function(a, b) {
  z <- (atanh(a$value) - atanh(b$value)) / sqrt(1 / (a$n - 3 - a$k) + 1 / (b$n - 3 - b$k))
  d <- a$value - b$value
  list(z = z, p = 2 * pnorm(-abs(z)), difference = d,
       ci = c(d - sqrt((a$value - a$ci[1])^2 + (b$ci[2] - b$value)^2),
              d + sqrt((a$ci[2] - a$value)^2 + (b$value - b$ci[1])^2)))
}

WAI_MODEL <- "task =~ wai_1 + wai_2 + wai_10 + wai_12
bond =~ wai_3 + wai_5 + wai_7 + wai_9
goal =~ wai_4 + wai_6 + wai_8 + wai_11"
factor_model <- function(d) {
  app <- d[d$arm == "app", ]
  fits <- list(all = cfa(WAI_MODEL, data = app),
               configural = cfa(WAI_MODEL, data = app, group = "sex"),
               metric = cfa(WAI_MODEL, data = app, group = "sex", group.equal = "loadings"),
               scalar = cfa(WAI_MODEL, data = app, group = "sex", group.equal = c("loadings", "intercepts")))
  proper <- vapply(fits, function(f) lavInspect(f, "converged") && isTRUE(suppressWarnings(lavInspect(f, "post.check"))), TRUE)
  cors <- lapply(lavInspect(fits$configural, "cor.lv"), function(m) list(task_bond = m["task", "bond"],
                                                                         task_goal = m["task", "goal"],
                                                                         bond_goal = m["bond", "goal"]))
  list(proper = as.list(proper), n = as.list(lavInspect(fits$configural, "nobs")),
       groups = lavInspect(fits$configural, "group.label"), factor_correlations = cors)
}

half_up <- function(x, digits) floor(x * 10^digits + 0.5 + 1e-9) / 10^digits

out <- list()
for (seed in c(2026, 1, 7, 99)) {
  d <- score(read.csv(sprintf("test/reference/published/match-%d.csv", seed), na.strings = "", stringsAsFactors = FALSE))
  values <- lapply(pub$values, function(v) {
    e <- estimate(d, v)
    c(e[c("value", "n", "ci")], list(printed = half_up(e$value, v$precision)))
  })
  claims <- lapply(pub$claims, function(c) {
    e <- estimate(d, c$estimate)
    compared <- lapply(c(c$below, c$above), function(o) {
      b <- estimate(d, o)
      list(value = b$value, difference = fisher_difference(e, b))
    })
    list(value = e$value, p = e$p, n = e$n, compared = compared)
  })
  out[[as.character(seed)]] <- list(values = values, claims = claims, factor_model = factor_model(d))
  if (seed == 2026) {
    # A model term, as a published file may give one: WAI-I total in lm(distress ~ total + the four covariates).
    app <- d[d$arm == "app", ]
    fit <- lm(phqads_total_w10 ~ wai_total + phqads_total_t0 + sex + age + expectation, data = app)
    out$coefficient_2026 <- list(estimate = unname(coef(fit)["wai_total"]), n = nobs(fit),
                                 p = summary(fit)$coefficients["wai_total", 4],
                                 ci = unname(confint(fit)["wai_total", ]))
  }
}
write(toJSON(out, auto_unbox = TRUE, digits = NA, null = "null", pretty = TRUE), "test/reference/published.json")
