package dev.steeropt.optimizer.samplers.tpe;

/**
 * Truncated-normal maths in log space, as Optuna's {@code _truncnorm} module defines it: {@code a} and {@code b} are
 * the standardised bounds {@code (low - mu) / sigma} and {@code (high - mu) / sigma}.
 *
 * <p>Everything works on log probabilities so that far tails (bounds 20+ sigmas away) stay finite. The error function
 * is evaluated by a positive-term power series near zero and a continued fraction in the tail (both to full double
 * precision), so results agree with SciPy/Optuna to about 1e-14 relative. Stateless and thread-safe.
 */
public final class TruncatedNormal {
    private static final double SQRT2 = Math.sqrt(2.0);
    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2.0 * Math.PI);
    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

    private TruncatedNormal() {}

    /** Chebyshev coefficients of erfcx(x) = exp(x^2) erfc(x) in t = (x - K)/(x + K), fitted once at class load. */
    private static final double CHEB_K = 3.75;
    private static final double[] CHEB = chebyshevFit(64);
    /**
     * Terms of {@link #CHEB} actually summed: from about index 24 on the fitted coefficients are below 1e-16, i.e. the
     * noise of the reference evaluation, so summing them only costs time.
     */
    private static final int CHEB_TERMS = 28;

    /**
     * The complementary error function. Evaluated as exp(-x^2) times a Chebyshev expansion of erfcx, whose
     * coefficients this class computes at load time from {@link #erfcSlow} (series and continued fraction); relative
     * error below 1e-12 wherever erfc is a normal double (checked in the tests); it is used up to x = 27.3, beyond which
     * erfc underflows to 0.
     */
    public static double erfc(double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x < 0) {
            return 2.0 - erfc(-x);
        }
        if (x > 27.3) {
            return 0.0; // below the smallest subnormal double
        }
        double t = (x - CHEB_K) / (x + CHEB_K);
        // Clenshaw recurrence for sum' c_k T_k(t)
        double b1 = 0;
        double b2 = 0;
        double t2 = 2 * t;
        for (int k = CHEB_TERMS - 1; k >= 1; k--) {
            double b0 = t2 * b1 - b2 + CHEB[k];
            b2 = b1;
            b1 = b0;
        }
        double g = t * b1 - b2 + 0.5 * CHEB[0];
        return Math.exp(-x * x) * g;
    }

    /** erfc by power series (x < 2) or continued fraction: slow, to full precision; the reference for the fit. */
    static double erfcSlow(double x) {
        if (x < 0) {
            return 2.0 - erfcSlow(-x);
        }
        if (x < 2.0) {
            return 1.0 - erfSeries(x);
        }
        if (x > 27.3) {
            return 0.0;
        }
        return erfcContinuedFraction(x);
    }

    /** exp(x^2) erfc(x) for x >= 0 without overflow. */
    private static double erfcxSlow(double x) {
        if (x < 2.0) {
            return Math.exp(x * x) * (1.0 - erfSeries(x));
        }
        return TWO_OVER_SQRT_PI * x / continuedFractionDenominator(x);
    }

    private static double[] chebyshevFit(int n) {
        double[] f = new double[n];
        for (int j = 0; j < n; j++) {
            double t = Math.cos(Math.PI * (j + 0.5) / n);
            if (t >= 1.0) {
                f[j] = 0;
                continue;
            }
            double x = CHEB_K * (1 + t) / (1 - t);
            f[j] = erfcxSlow(x);
        }
        double[] c = new double[n];
        for (int k = 0; k < n; k++) {
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += f[j] * Math.cos(Math.PI * k * (j + 0.5) / n);
            }
            c[k] = 2.0 * sum / n;
        }
        return c;
    }

    /** The error function. */
    public static double erf(double x) {
        if (Math.abs(x) < 0.5) {
            return erfSeries(x);
        }
        return x > 0 ? 1.0 - erfc(x) : erfc(-x) - 1.0;
    }

    /** erf(x) = 2/sqrt(pi) exp(-x^2) sum_n 2^n x^(2n+1) / (1*3*...*(2n+1)): all terms positive, no cancellation. */
    private static double erfSeries(double x) {
        double x2 = x * x;
        double term = x;
        double sum = x;
        for (int n = 1; n < 200; n++) {
            term *= 2.0 * x2 / (2 * n + 1);
            sum += term;
            if (term < sum * 1e-17) {
                break;
            }
        }
        return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
    }

    /**
     * erfc(x) = 2x exp(-x^2)/sqrt(pi) / (2x^2+1 - 1*2/(2x^2+5 - 3*4/(2x^2+9 - ...))), evaluated by the modified Lentz
     * method; converges fast for x >= 2.
     */
    private static double erfcContinuedFraction(double x) {
        return TWO_OVER_SQRT_PI * x * Math.exp(-x * x) / continuedFractionDenominator(x);
    }

    private static double continuedFractionDenominator(double x) {
        double x2 = x * x;
        double tiny = 1e-300;
        double f = 2.0 * x2 + 1.0;
        double c = f;
        double d = 0.0;
        for (int n = 1; n < 500; n++) {
            double an = -(2.0 * n - 1.0) * (2.0 * n);
            double bn = 2.0 * x2 + 4.0 * n + 1.0;
            d = bn + an * d;
            if (Math.abs(d) < tiny) {
                d = tiny;
            }
            c = bn + an / c;
            if (Math.abs(c) < tiny) {
                c = tiny;
            }
            d = 1.0 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1.0) < 1e-15) { // 1e-16 is below half an ulp of 1: it could spin all 500 rounds
                break;
            }
        }
        return f;
    }

    /** The standard normal CDF. */
    public static double ndtr(double a) {
        return 0.5 * erfc(-a / SQRT2);
    }

    /** log of the standard normal CDF, accurate in both tails (an asymptotic series below -20). */
    public static double logNdtr(double a) {
        if (a > 6.0) {
            return -ndtr(-a);
        }
        if (a > -20.0) {
            return Math.log(ndtr(a));
        }
        double logLhs = -0.5 * a * a - Math.log(-a) - LOG_SQRT_2PI;
        double last = 0.0;
        double rhs = 1.0;
        double numerator = 1.0;
        double denomFactor = 1.0;
        double denomCons = 1.0 / (a * a);
        double sign = 1.0;
        for (int i = 1; Math.abs(last - rhs) > Math.ulp(1.0) && i < 100; i++) {
            last = rhs;
            sign = -sign;
            denomFactor *= denomCons;
            numerator *= 2 * i - 1;
            rhs += sign * numerator * denomFactor;
        }
        return logLhs + Math.log(rhs);
    }

    /** log(exp(p) + exp(q)). */
    static double logSum(double p, double q) {
        double m = Math.max(p, q);
        if (m == Double.NEGATIVE_INFINITY) {
            return m;
        }
        return m + Math.log1p(Math.exp(Math.min(p, q) - m));
    }

    /** log(exp(p) - exp(q)) for p >= q. */
    static double logDiff(double p, double q) {
        return p + Math.log1p(-Math.exp(q - p));
    }

    /**
     * log of the standard normal mass on [a, b], a <= b. When the interval lies in one tail its mass is formed in
     * linear space (two {@link #ndtr} calls and one log) unless that would cancel more than three digits or underflow;
     * then Optuna's log-space difference of {@link #logNdtr} is used.
     */
    public static double logGaussMass(double a, double b) {
        // Far in one tail with a wide enough interval, the mass beyond the far end is below e^-40 of the mass beyond
        // the near end (Mills' ratio: Phi(-b)/Phi(-a) < exp(-a (b - a)) for 0 < a < b), so the mass is the near
        // tail's to double precision: one log CDF instead of two and a log-difference.
        if (a > 0.0 && a * (b - a) > 40.0) {
            return logNdtr(-a);
        }
        if (b < 0.0 && -b * (b - a) > 40.0) {
            return logNdtr(b);
        }
        if (b <= 0.0) {
            double pb = ndtr(b);
            double m = pb - ndtr(a);
            if (m > 1e-3 * pb && m > 1e-290) {
                return Math.log(m);
            }
            return logDiff(logNdtr(b), logNdtr(a));
        }
        if (a > 0.0) {
            double qa = ndtr(-a);
            double m = qa - ndtr(-b);
            if (m > 1e-3 * qa && m > 1e-290) {
                return Math.log(m);
            }
            return logDiff(logNdtr(-a), logNdtr(-b));
        }
        // Central case. A tail mass below ndtr(-8.5) ~ 1e-17 cannot change 1 - mass in double precision: skip it.
        double left = a < -8.5 ? 0.0 : ndtr(a);
        double right = b > 8.5 ? 0.0 : ndtr(-b);
        double out = left + right;
        if (out == 0.0) {
            return 0.0;
        }
        // log(1 - x) loses at most 1.2e-16 / x relative to log1p(-x): use the (much cheaper) log once x > 1e-3.
        return out > 1e-3 ? Math.log(1.0 - out) : Math.log1p(-out);
    }

    /** log density of the standard normal. */
    public static double normLogPdf(double x) {
        return -0.5 * x * x - LOG_SQRT_2PI;
    }

    /**
     * log density at {@code x} of normal({@code loc}, {@code scale}) truncated to the standardised bounds [a, b]:
     * -inf outside, NaN if a == b.
     */
    public static double logpdf(double x, double a, double b, double loc, double scale) {
        double z = (x - loc) / scale;
        if (a == b) {
            return Double.NaN;
        }
        if (z < a || z > b) {
            return Double.NEGATIVE_INFINITY;
        }
        return normLogPdf(z) - logGaussMass(a, b) - Math.log(scale);
    }

    /**
     * The quantile {@code q} of the standard normal truncated to [a, b] (standardised units).
     *
     * <p>Fast path: when the target CDF value {@code Phi(a) + q (Phi(b) - Phi(a))} (or its complement) is a normal
     * double and the mass is not lost to cancellation, it is formed directly and inverted by {@link #ndtri} (one
     * rational guess and one Halley step; no logarithms of the CDF). Otherwise, far in a tail, Optuna's log-space route
     * ({@code log Phi} and a Newton solve of {@link #ndtriExp}) is used. Both agree to about 1e-13.
     */
    public static double ppf(double q, double a, double b) {
        if (a == b) {
            return Double.NaN;
        }
        if (q == 0.0) {
            return a;
        }
        if (q == 1.0) {
            return b;
        }
        double fast = a < 0 ? ppfLinear(q, a, b) : -ppfLinear(1.0 - q, -b, -a);
        if (!Double.isNaN(fast)) {
            return Math.min(Math.max(fast, a), b);
        }
        return ppfLogSpace(q, a, b);
    }

    /** ppf for a < 0 by the CDF in linear space, or NaN when that would lose precision (then use the log route). */
    private static double ppfLinear(double q, double a, double b) {
        double pa = ndtr(a);
        double qb = ndtr(-b); // 1 - Phi(b)
        double mass = b <= 0 ? ndtr(b) - pa : 1.0 - pa - qb;
        double scale = b <= 0 ? ndtr(b) : 1.0;
        if (!(mass > 1e-280) || mass < 1e-6 * scale) {
            return Double.NaN;
        }
        double p = pa + q * mass;
        if (p <= 0.5) {
            return p > 1e-280 ? ndtriLower(p) : Double.NaN;
        }
        double comp = qb + (1.0 - q) * mass; // 1 - p, formed without cancellation
        return comp > 1e-280 ? -ndtriLower(comp) : Double.NaN;
    }

    /** The standard normal quantile: the x with Phi(x) = p, for 0 < p < 1. */
    public static double ndtri(double p) {
        if (!(p > 0 && p < 1)) {
            return p == 0 ? Double.NEGATIVE_INFINITY : p == 1 ? Double.POSITIVE_INFINITY : Double.NaN;
        }
        return p <= 0.5 ? ndtriLower(p) : -ndtriLower(1.0 - p);
    }

    // Rational approximation of the normal quantile (P. J. Acklam's coefficients, relative error < 1.2e-9), refined
    // below by one Halley step to full double precision.
    private static final double[] QA = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
        1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
    private static final double[] QB = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
        6.680131188771972e+01, -1.328068155288572e+01};
    private static final double[] QC = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
        -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
    private static final double[] QD = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
        3.754408661907416e+00};

    /** ndtri for 0 < p <= 1/2 (x <= 0), where Phi(x) = erfc(-x/sqrt 2)/2 has full relative precision. */
    private static double ndtriLower(double p) {
        double x;
        if (p < 0.02425) {
            double r = Math.sqrt(-2.0 * Math.log(p));
            x = (((((QC[0] * r + QC[1]) * r + QC[2]) * r + QC[3]) * r + QC[4]) * r + QC[5])
                    / ((((QD[0] * r + QD[1]) * r + QD[2]) * r + QD[3]) * r + 1.0);
        } else {
            double r = p - 0.5;
            double r2 = r * r;
            x = (((((QA[0] * r2 + QA[1]) * r2 + QA[2]) * r2 + QA[3]) * r2 + QA[4]) * r2 + QA[5]) * r
                    / (((((QB[0] * r2 + QB[1]) * r2 + QB[2]) * r2 + QB[3]) * r2 + QB[4]) * r2 + 1.0);
        }
        // Halley step on Phi(x) - p: u = (Phi(x) - p) / phi(x); x -= u / (1 + x u / 2).
        double e = ndtr(x) - p;
        double u = e * Math.sqrt(2.0 * Math.PI) * Math.exp(0.5 * x * x);
        return x - u / (1.0 + 0.5 * x * u);
    }

    /** Optuna's log-space ppf, for far tails. */
    static double ppfLogSpace(double q, double a, double b) {
        if (a < 0) {
            double logPhiX = logSum(logNdtr(a), Math.log(q) + logGaussMass(a, b));
            return ndtriExp(logPhiX);
        }
        double logPhiX = logSum(logNdtr(-b), Math.log1p(-q) + logGaussMass(a, b));
        return -ndtriExp(logPhiX);
    }

    /**
     * The x with log Phi(x) = y (y <= 0). For y above log(1/2) the complement is solved instead; below, Newton's method
     * on the concave log CDF converges monotonically from the left, started at the asymptotic guess -sqrt(-2y).
     */
    public static double ndtriExp(double y) {
        if (Double.isNaN(y) || y > 0) {
            return Double.NaN;
        }
        if (y == 0.0) {
            return Double.POSITIVE_INFINITY;
        }
        if (y == Double.NEGATIVE_INFINITY) {
            return Double.NEGATIVE_INFINITY;
        }
        if (y > -0.6931471805599453) {
            // Phi(x) = e^y > 1/2: solve Phi(-x) = 1 - e^y instead.
            double comp = Math.log(-Math.expm1(y));
            return -ndtriExpLower(comp);
        }
        return ndtriExpLower(y);
    }

    private static double ndtriExpLower(double y) {
        double x = y < -2.0 ? -Math.sqrt(-2.0 * y) : -1.5;
        for (int i = 0; i < 100; i++) {
            double f = logNdtr(x);
            // d/dx log Phi(x) = phi(x) / Phi(x)
            double slope = Math.exp(normLogPdf(x) - f);
            double dx = (f - y) / slope;
            x -= dx;
            if (Math.abs(dx) <= 1e-15 * Math.max(1.0, Math.abs(x))) {
                break;
            }
        }
        return x;
    }
}
