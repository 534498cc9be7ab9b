/* The voter model: what a rule change does to one member's payoff as the member perceives it
 * from its own recent activity; and rule values written in their units. */
#include "models/governance/gov_internal.h"

#include <ctype.h>
#include <gsl/gsl_sf_erf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double share_of(double x, double all) {
    return all > 0.0 ? x / all : 0.0;
}

/* Fares are taken as given (no demand response is perceived): with commission c,
 *     pay = (1 - c) f,  surplus S = c F - costs,
 *     reserve gain G = rho S and dividend pool D = (1 - rho) S when S > 0, else G = S, D = 0,
 *     dividend = D * basis share,  top-up = max(0, floor * hours - pay),
 *     payout: each member driver gets X / members and G falls by X,
 *     token claim = reserve_value * tokens / all tokens * G (tokens are a claim on the
 *     treasury, which members value below cash in hand: it is not theirs to spend).
 * Surge, when on, adds what Castillo's estimates say it does to each side's surplus as a
 * share of gross revenue: s_d f to a driver's pay, s_c F to the surplus S, s_r F / riders to
 * a rider member. It does not scale fares: the welfare figures already net out riders'
 * higher prices, shorter waits and drivers' changed hours.
 * Drivers: pay + dividend + top-up + payout share + claim; outside backers: claim; rider
 * members: claim - F / riders (each stands for an equal share of what riders pay). */
double gov_payoff(const gov_view *v, const plat_config *cfg, const gov_config *gc, double payout) {
    double c = cfg->commission, rho = cfg->reserve_share;
    bool surge = cfg->surge;
    double s = c * v->f_all - v->costs + (surge ? gc->surge_coop * v->f_all : 0.0);
    double gain = s > 0.0 ? rho * s : s, pool = s > 0.0 ? (1.0 - rho) * s : 0.0;
    gain -= payout;
    double claim = gc->reserve_value * share_of(v->tokens, v->tok_all) * gain;
    if (v->rider)
        return claim + share_of((surge ? gc->surge_riders : 0.0) * v->f_all - v->f_all, v->riders);
    if (!v->driver) return claim;
    double pay = (1.0 - c) * v->fares + (surge ? gc->surge_drivers * v->fares : 0.0);
    double basis;
    switch (cfg->dividend_basis) {
    case PLAT_BASIS_TRIPS:
        basis = share_of(v->trips, v->t_all);
        break;
    case PLAT_BASIS_REVENUE:
        basis = share_of(v->fares, v->f_all);
        break;
    default:
        basis = share_of(v->hours, v->h_all);
        break;
    }
    double floor_pay = (double)cfg->pay_floor_per_hour * v->hours;
    double topup = floor_pay > pay ? floor_pay - pay : 0.0;
    return pay + pool * basis + topup + share_of(payout, v->members) + claim;
}

static const char *const rule_names[GOV_R_COUNT] = {
    "commission",     "reserve_share", "dividend_basis", "pay_floor",
    "membership_cap", "entry_fee",     "surge",          "payout"};
static const char *const basis_names[] = {"hours", "trips", "revenue"};

/* Present value of a flow of 1 per day over x days at k per day. */
static double annuity(double x, double k) {
    if (!(x > 0.0)) return 0.0;
    return k > 0.0 ? -expm1(-k * x) / k : x;
}

/* The co-op's pay-floor top-ups over the window under cfg, summed over the member drivers. */
static double topups_of(const gov_view *v, const plat_config *cfg) {
    double t = 0, floor = (double)cfg->pay_floor_per_hour;
    if (!(floor > 0) || !v->all) return 0;
    for (size_t i = 0; i < v->n_all; i++) {
        const gov_view *d = &v->all[i];
        if (!d->driver) continue;
        double pay = (1.0 - cfg->commission) * d->fares, due = floor * d->hours;
        if (due > pay) t += due - pay;
    }
    return t;
}

/* log Phi(x), accurate far into the lower tail (where Phi underflows). */
static double log_phi(double x) {
    return log(0.5) + gsl_sf_log_erfc(-x * 0.70710678118654752440);
}

/* P(a Brownian motion from L > 0 with drift mu and volatility sigma > 0 reaches 0 by t). */
static double first_passage(double L, double mu, double sigma, double t) {
    if (!(t > 0)) return 0;
    double st = sigma * sqrt(t);
    double a = log_phi((-L - mu * t) / st);
    double b = -2.0 * mu * L / (sigma * sigma) + log_phi((-L + mu * t) / st);
    double p = exp(a) + exp(b);
    return p < 1.0 ? p : 1.0;
}

void gov_outlook_of(const gov_view *v, const plat_config *cfg, const gov_config *gc, double payout,
                    gov_outlook *out) {
    double days = v->days > 0 ? v->days : 1, h = v->horizon;
    double cash = v->cash > 0 ? v->cash : 0, reserve = v->reserve > 0 ? v->reserve : 0;
    double paid = payout > 0 ? payout : 0;
    paid = paid < reserve ? paid : reserve;
    paid = paid < cash ? paid : cash;
    double c = cfg->commission;
    double s = c * v->f_all - v->costs + (cfg->surge ? gc->surge_coop * v->f_all : 0);
    double kept = s > 0.0 ? cfg->reserve_share * s : s;
    out->liquid = v->cash + v->credit_limit - paid;
    out->mu = (kept - v->principal - topups_of(v, cfg)) / days;
    double var = c * c * v->var_f - 2.0 * c * v->cov_fo + v->var_o;
    out->sigma = var > 0 ? sqrt(var) : 0;
    if (out->liquid < 0 || (out->liquid == 0 && out->mu < 0)) { /* past the limit, or going */
        out->runway = 0;
        out->risk = 1;
        return;
    }
    out->runway = out->mu < 0 ? out->liquid / -out->mu : INFINITY;
    if (!(h > 0))
        out->risk = 0;
    else if (out->sigma > 0)
        out->risk = first_passage(out->liquid, out->mu, out->sigma, h);
    else
        out->risk = out->runway <= h ? 1 : 0;
}

/* int_0^H e^{-k t} P(solvent at t) dt: closed form without variability, else the midpoint
 * rule on 512 steps (P is smooth and monotone; the error is far below a cent a day). */
static double solvent_annuity(const gov_outlook *o, double h, double k) {
    if (!(o->runway > 0)) return 0;
    if (!(o->sigma > 0)) return annuity(o->runway < h ? o->runway : h, k);
    enum { STEPS = 512 };
    double dt = h / STEPS, sum = 0;
    for (int i = 0; i < STEPS; i++) {
        double t = (i + 0.5) * dt;
        sum += exp(-k * t) * (1.0 - first_passage(o->liquid, o->mu, o->sigma, t));
    }
    return sum * dt;
}

double gov_value(const gov_view *v, const plat_config *cfg, const gov_config *gc, double payout) {
    if (!(v->horizon > 0.0) || !(v->days > 0.0)) return gov_payoff(v, cfg, gc, payout);
    double days = v->days, h = v->horizon;
    double k = log1p(gc->discount) / 365.0;
    gov_outlook o;
    gov_outlook_of(v, cfg, gc, payout, &o);
    double cash = v->cash > 0 ? v->cash : 0, reserve = v->reserve > 0 ? v->reserve : 0;
    double paid = payout > 0 ? payout : 0;
    paid = paid < reserve ? paid : reserve;
    paid = paid < cash ? paid : cash;
    double pi = gov_payoff(v, cfg, gc, 0.0) / days;
    double fail = 0.0;
    if (v->rider)
        fail = -share_of(v->f_all, v->riders) / days;
    else if (v->driver)
        fail = (1.0 - gc->outside_take) * v->fares / days;
    double value = fail * annuity(h, k) + (pi - fail) * solvent_annuity(&o, h, k);
    value -= gc->reserve_value * share_of(v->tokens, v->tok_all) * paid;
    if (v->driver) value += share_of(paid, v->members);
    return value;
}

static const char *const class_names[GOV_C_COUNT] = {"founder", "full_time_driver",
                                                     "occasional_driver", "backer", "rider"};

const char *gov_class_name(int cls) {
    return cls >= 0 && cls < GOV_C_COUNT ? class_names[cls] : "unknown";
}

const char *gov_rule_name(int rule) {
    return rule >= 0 && rule < GOV_R_COUNT ? rule_names[rule] : "unknown";
}

void gov_format_value(int rule, double v, char *buf, size_t len) {
    switch (rule) {
    case GOV_R_COMMISSION:
    case GOV_R_RESERVE_SHARE:
        snprintf(buf, len, "%.4g%%", v * 100.0);
        break;
    case GOV_R_DIVIDEND_BASIS:
        snprintf(buf, len, "%s", v >= 0 && v < 3 ? basis_names[(int)v] : "?");
        break;
    case GOV_R_SURGE:
        snprintf(buf, len, "%s", v != 0.0 ? "on" : "off");
        break;
    case GOV_R_MEMBERSHIP_CAP:
        snprintf(buf, len, "%.0f", v);
        break;
    default:
        snprintf(buf, len, "%.2f", v / 100.0);
        break;
    }
}

static bool word(const char *s, const char *w) {
    return strcmp(s, w) == 0;
}

/* Parses `to` in the rule's unit; 0 or 2 with a message. */
int gov_parse_value(int rule, const char *to, double *out, char *err, size_t errlen) {
    char t[64];
    size_t n = to ? strlen(to) : 0;
    while (n > 0 && isspace((unsigned char)to[n - 1]))
        n--;
    while (n > 0 && isspace((unsigned char)*to)) {
        to++;
        n--;
    }
    if (n == 0 || n >= sizeof t) {
        snprintf(err, errlen, "%s: the new value is empty or too long", gov_rule_name(rule));
        return 2;
    }
    memcpy(t, to, n);
    t[n] = '\0';
    char *end = NULL;
    double v;
    switch (rule) {
    case GOV_R_COMMISSION:
    case GOV_R_RESERVE_SHARE:
        v = strtod(t, &end);
        if (end && *end == '%' && end[1] == '\0') {
            v /= 100.0;
        } else if (!end || *end != '\0') {
            end = NULL;
        }
        if (!end || end == t || !(v >= 0.0 && v <= 1.0)) {
            snprintf(err, errlen, "%s: '%s' is not a share (a value like 12%% or 0.12, 0 to 1)",
                     gov_rule_name(rule), t);
            return 2;
        }
        break;
    case GOV_R_DIVIDEND_BASIS:
        for (v = 0; v < 3 && !word(t, basis_names[(int)v]); v++) {
        }
        if (v >= 3) {
            snprintf(err, errlen, "dividend_basis: '%s' is not hours, trips or revenue", t);
            return 2;
        }
        break;
    case GOV_R_SURGE:
        if (word(t, "on") || word(t, "true"))
            v = 1;
        else if (word(t, "off") || word(t, "false"))
            v = 0;
        else {
            snprintf(err, errlen, "surge: '%s' is not on or off", t);
            return 2;
        }
        break;
    case GOV_R_MEMBERSHIP_CAP: {
        long long k = strtoll(t, &end, 10);
        if (end == t || *end != '\0' || k < 0 || k > 100000000) {
            snprintf(err, errlen, "membership_cap: '%s' is not a count from 0 to 100000000", t);
            return 2;
        }
        v = (double)k;
        break;
    }
    case GOV_R_PAY_FLOOR:
    case GOV_R_ENTRY_FEE:
    case GOV_R_PAYOUT: {
        v = strtod(t, &end);
        const char *dot = strchr(t, '.');
        if (end == t || *end != '\0' || !(v >= 0.0 && v <= 1e12) || (dot && strlen(dot) > 3)) {
            snprintf(err, errlen,
                     "%s: '%s' is not an amount of money (like 25.00, at most two decimals)",
                     gov_rule_name(rule), t);
            return 2;
        }
        v = (double)llround(v * 100.0);
        break;
    }
    default:
        snprintf(err, errlen, "rule %d does not exist", rule);
        return 2;
    }
    *out = v;
    return 0;
}
