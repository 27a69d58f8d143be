# Reference values for test/cli/describe.test.ts (the `describe` command, "Table 1").
# Run from the repository root:  Rscript test/reference/describe.R  (writes test/reference/describe.json)
# Rerun it whenever examples/canrelax-synthetic.csv changes (its sha256 is recorded as example_sha256).
#
# Numeric variables: n (non-missing), missing, mean(), sd() (n - 1), median(), quantile(type = 7) at .25 and .75,
# min(), max(). Categorical variables: table() counts per level, percentages of the non-missing values
# (100 * prop.table(table(x))), missing count. Per group (split by the --by column) and over all rows ("all").
#
# CanRelax scores are computed here from the items with the rules of the README ("Instruments"), independently of
# the TypeScript scorer:
#   wai (items 1-5, mean scoring): task 1,2,10,12; bond 3,5,7,9; goal 4,6,8,11; total all 12 items;
#     a (sub)scale is the mean of the answered items when at least ceiling(0.75 * items - 1e-9) are answered.
#   phqads (items 0-3, prorated sums): phq9 (>= ceiling(7/9 * 9) = 7 answered), gad7 (>= 6 answered);
#     prorated sum = mean of answered items * number of items (plain sum when all are answered);
#     total = phq9 + gad7 (missing when either is), per time point t0 and w10.
suppressPackageStartupMessages(library(jsonlite))

na <- c("", "NA", "N/A", "NaN", ".")

numeric_summary <- function(x) {
  m <- is.na(x)
  x <- x[!m]
  if (length(x) == 0) return(list(n = 0, missing = sum(m)))
  q <- quantile(x, c(0.25, 0.75), type = 7, names = FALSE)
  list(n = length(x), missing = sum(m), mean = mean(x), sd = if (length(x) > 1) sd(x) else NA,
       median = median(x), q1 = q[1], q3 = q[2], min = min(x), max = max(x))
}
categorical_summary <- function(x) {
  m <- is.na(x)
  t <- table(x[!m])
  list(n = sum(!m), missing = sum(m),
       levels = lapply(names(t), function(l) list(level = l, count = as.integer(t[[l]]),
                                                  percent = 100 * as.numeric(prop.table(t)[[l]]))))
}
summarise <- function(d, vars, categorical) {
  out <- list()
  for (v in vars) out[[v]] <- if (v %in% categorical) categorical_summary(d[[v]]) else numeric_summary(d[[v]])
  out
}
by_group <- function(d, vars, categorical, by) {
  groups <- sort(unique(d[[by]][!is.na(d[[by]])]))
  res <- list(all = summarise(d, vars, categorical))
  for (g in groups) res[[as.character(g)]] <- summarise(d[!is.na(d[[by]]) & d[[by]] == g, ], vars, categorical)
  res
}

# --- CanRelax synthetic export, scored here -------------------------------------------------------------------
d <- read.csv("examples/canrelax-synthetic.csv", na.strings = na, stringsAsFactors = FALSE)
need <- function(k, frac) ceiling(frac * k - 1e-9)
mean_score <- function(items, frac = 0.75) {
  m <- as.matrix(d[, items])
  answered <- rowSums(!is.na(m))
  ifelse(answered >= need(length(items), frac), rowMeans(m, na.rm = TRUE), NA)
}
prorated <- function(items, frac) {
  m <- as.matrix(d[, items])
  answered <- rowSums(!is.na(m))
  s <- ifelse(answered == length(items), rowSums(m), rowMeans(m, na.rm = TRUE) * length(items))
  ifelse(answered >= need(length(items), frac), s, NA)
}
w <- function(i) paste0("wai_", i)
d$wai_task <- mean_score(w(c(1, 2, 10, 12)))
d$wai_bond <- mean_score(w(c(3, 5, 7, 9)))
d$wai_goal <- mean_score(w(c(4, 6, 8, 11)))
d$wai_total <- mean_score(w(1:12))
for (tp in c("t0", "w10")) {
  d[[paste0("phqads_phq9_", tp)]] <- prorated(paste0("phq9_", 1:9, "_", tp), 7 / 9)
  d[[paste0("phqads_gad7_", tp)]] <- prorated(paste0("gad7_", 1:7, "_", tp), 6 / 7)
  d[[paste0("phqads_total_", tp)]] <- d[[paste0("phqads_phq9_", tp)]] + d[[paste0("phqads_gad7_", tp)]]
}
scores <- c("wai_task", "wai_bond", "wai_goal", "wai_total",
            "phqads_phq9_t0", "phqads_gad7_t0", "phqads_total_t0", "phqads_phq9_w10", "phqads_gad7_w10", "phqads_total_w10")
app <- d[d$arm == "app", ]
canrelax_app_by_sex <- list(rows = nrow(d), rows_kept = nrow(app),
                            variables = c("age", "expectation", scores),
                            groups = by_group(app, c("age", "expectation", scores), character(0), "sex"))
canrelax_all <- list(rows = nrow(d), variables = c("arm", "sex", "age", "expectation", scores),
                     all = summarise(d, c("arm", "sex", "age", "expectation", scores), c("arm", "sex")))
canrelax_by_arm <- list(variables = c("sex", "age", "expectation", "wai_total", "phqads_total_w10"),
                        groups = by_group(d, c("sex", "age", "expectation", "wai_total", "phqads_total_w10"), "sex", "arm"))

# --- sat_act (../shared/reference): every column but id; sex is text, the rest numbers -------------------------
s <- read.csv("../shared/reference/sat_act.csv", na.strings = "", stringsAsFactors = FALSE)
sat_vars <- c("sex", "gender", "education", "age", "ACT", "SATV", "SATQ")
sat_all <- summarise(s, sat_vars, "sex")
sat_by_sex <- by_group(s, setdiff(sat_vars, "sex"), character(0), "sex")
# education as categorical (--categorical education), by gender
sat_education <- by_group(s, c("education", "SATQ"), "education", "gender")

# The example export is regenerated now and then (simulate): the tests check this hash first.
example_sha256 <- strsplit(system2("sha256sum", "examples/canrelax-synthetic.csv", stdout = TRUE), " ")[[1]][1]
out <- list(example_sha256 = example_sha256, canrelax_app_by_sex = canrelax_app_by_sex, canrelax_all = canrelax_all, canrelax_by_arm = canrelax_by_arm,
            sat_act_all = sat_all, sat_act_by_sex = sat_by_sex, sat_act_education_by_gender = sat_education,
            versions = list(R = R.version.string))
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, na = "null", pretty = TRUE), "test/reference/describe.json")
