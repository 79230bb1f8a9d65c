package dev.steeropt.eval.synthetic;

import java.util.SplittableRandom;

/**
 * The story templates. Each has four steps in a fixed order; a problem of difficulty d tells the first d steps and asks
 * for the result of step d, so its solution has exactly d calculation lines.
 */
enum Template {
    /** Buy several items at a price, add one more purchase, pay with a note, split the change. */
    SHOPPING {
        @Override
        void tell(Story s, SplittableRandom r, Cast c, int d) {
            String item = Cast.pick(r, Cast.ITEMS);
            String other = Cast.pick(r, Cast.ITEMS);
            long n = between(r, 2, 9);
            long price = between(r, 2, 12);
            long extra = between(r, 2, 20);
            long bill = new long[] {20, 50, 100}[r.nextInt(3)];
            long jars = between(r, 2, 5);
            s.say(c.name() + " buys " + n + " " + item + "s for $" + price + " each.");
            long cost = s.calc(c.subject() + " spends", n, '*', price, "dollars on " + item + "s");
            if (d == 1) {
                s.say("How much does " + c.subjectLower() + " spend?");
                return;
            }
            if (other.equals(item)) {
                throw new Story.Reject("same item twice");
            }
            s.say(c.subject() + " also buys a " + other + " for $" + extra + ".");
            long total = s.calc("In total " + c.subjectLower() + " spends", cost, '+', extra, "dollars");
            if (d == 2) {
                s.say("How much does " + c.subjectLower() + " spend in total?");
                return;
            }
            s.say(c.subject() + " pays with $" + bill + ".");
            long change = s.calc(c.subject() + " gets", bill, '-', total, "dollars back");
            if (d == 3) {
                s.say("How much change does " + c.subjectLower() + " get?");
                return;
            }
            s.say(c.subject() + " puts the change equally into " + jars + " jars.");
            s.calc("Each jar gets", change, '/', jars, "dollars");
            s.say("How much goes in each jar?");
        }
    },
    /** Bags of objects, a gift from a friend, a loss, an equal share. */
    SHARING {
        @Override
        void tell(Story s, SplittableRandom r, Cast c, int d) {
            String obj = Cast.pick(r, Cast.OBJECTS);
            long bags = between(r, 2, 9);
            long each = between(r, 2, 12);
            long gift = between(r, 2, 20);
            long lost = between(r, 2, 20);
            long friends = between(r, 2, 6);
            s.say(c.name() + " has " + bags + " bags with " + each + " " + obj + " in each bag.");
            long have = s.calc(c.subject() + " has", bags, '*', each, obj);
            if (d == 1) {
                s.say("How many " + obj + " does " + c.subjectLower() + " have?");
                return;
            }
            s.say(c.friend() + " gives " + c.object() + " " + gift + " more.");
            long more = s.calc("Now " + c.subjectLower() + " has", have, '+', gift, obj);
            if (d == 2) {
                s.say("How many " + obj + " does " + c.subjectLower() + " have now?");
                return;
            }
            s.say(c.subject() + " loses " + lost + " of them.");
            long left = s.calc(c.subject() + " has", more, '-', lost, obj + " left");
            if (d == 3) {
                s.say("How many " + obj + " are left?");
                return;
            }
            s.say(c.subject() + " shares them equally with " + friends + " friends.");
            s.calc("Each friend gets", left, '/', friends, obj);
            s.say("How many " + obj + " does each friend get?");
        }
    },
    /** Speed times time, an extra leg, the distance left of a trip, the rest split over days. */
    RATES {
        @Override
        void tell(Story s, SplittableRandom r, Cast c, int d) {
            long speed = between(r, 3, 15);
            long hours = between(r, 2, 6);
            long walk = between(r, 2, 9);
            long trip = between(r, 5, 30) * 10;
            long days = between(r, 2, 5);
            s.say(c.name() + " rides " + speed + " miles each hour for " + hours + " hours.");
            long ride = s.calc(c.subject() + " rides", speed, '*', hours, "miles");
            if (d == 1) {
                s.say("How many miles does " + c.subjectLower() + " ride?");
                return;
            }
            s.say("Then " + c.subjectLower() + " walks " + walk + " miles.");
            long gone = s.calc(c.subject() + " goes", ride, '+', walk, "miles in all");
            if (d == 2) {
                s.say("How many miles does " + c.subjectLower() + " go in all?");
                return;
            }
            s.say("The whole trip is " + trip + " miles.");
            long left = s.calc(c.subject() + " has", trip, '-', gone, "miles left");
            if (d == 3) {
                s.say("How many miles are left?");
                return;
            }
            s.say(c.subject() + " does the rest in " + days + " equal days.");
            s.calc(c.subject() + " goes", left, '/', days, "miles each day");
            s.say("How many miles does " + c.subjectLower() + " go each day?");
        }
    },
    /** An older brother, a mother some times as old, a father older still, his age years ago. */
    AGES {
        @Override
        void tell(Story s, SplittableRandom r, Cast c, int d) {
            long age = between(r, 3, 12);
            long older = between(r, 1, 6);
            long times = between(r, 2, 4);
            long gap = between(r, 1, 9);
            long ago = between(r, 2, 9);
            s.say(c.name() + " is " + age + " years old. " + c.possessiveUpper() + " brother is " + older
                    + " years older.");
            long brother = s.calc("The brother is", age, '+', older, "years old");
            if (d == 1) {
                s.say("How old is the brother?");
                return;
            }
            s.say("Their mother is " + times + " times as old as the brother.");
            long mother = s.calc("The mother is", brother, '*', times, "years old");
            if (mother < 20 || mother > 60) {
                throw new Story.Reject("implausible mother age " + mother);
            }
            if (d == 2) {
                s.say("How old is the mother?");
                return;
            }
            s.say("Their father is " + gap + " years older than the mother.");
            long father = s.calc("The father is", mother, '+', gap, "years old");
            if (d == 3) {
                s.say("How old is the father?");
                return;
            }
            s.say("How old was the father " + ago + " years ago?");
            s.calc(ago + " years ago he was", father, '-', ago, "years old");
        }
    },
    /** Full boxes, the remainder left over, more found, equal piles. */
    REMAINDERS {
        @Override
        void tell(Story s, SplittableRandom r, Cast c, int d) {
            String obj = Cast.pick(r, Cast.OBJECTS);
            long boxes = between(r, 2, 9);
            long size = between(r, 3, 12);
            long rest = between(r, 1, size - 1);
            long found = between(r, 2, 20);
            long piles = between(r, 2, 5);
            s.say(c.name() + " packs " + boxes + " boxes with " + size + " " + obj + " in each box.");
            long packed = s.calc(c.subject() + " packs", boxes, '*', size, obj);
            if (d == 1) {
                s.say("How many " + obj + " does " + c.subjectLower() + " pack?");
                return;
            }
            long start = packed + rest;
            s.say(c.subject() + " started with " + start + " " + obj + ".");
            long over = s.calc(c.subject() + " has", start, '-', packed, obj + " left over");
            if (d == 2) {
                s.say("How many " + obj + " are left over?");
                return;
            }
            s.say("Then " + c.subjectLower() + " finds " + found + " more.");
            long loose = s.calc("Now " + c.subjectLower() + " has", over, '+', found, "loose " + obj);
            if (d == 3) {
                s.say("How many loose " + obj + " does " + c.subjectLower() + " have now?");
                return;
            }
            s.say(c.subject() + " puts the loose " + obj + " into " + piles + " equal piles.");
            s.calc("Each pile has", loose, '/', piles, obj);
            s.say("How many " + obj + " are in each pile?");
        }
    },
    /** Trays of cookies, bags of a size, a price per bag, the cost of flour. */
    BAKING {
        @Override
        void tell(Story s, SplittableRandom r, Cast c, int d) {
            long trays = between(r, 2, 6);
            long perTray = between(r, 4, 12);
            long bagSize = between(r, 2, 6);
            long price = between(r, 2, 9);
            long flour = between(r, 2, 20);
            s.say(c.name() + " bakes " + trays + " trays of " + perTray + " cookies.");
            long cookies = s.calc(c.subject() + " bakes", trays, '*', perTray, "cookies");
            if (d == 1) {
                s.say("How many cookies does " + c.subjectLower() + " bake?");
                return;
            }
            s.say(c.subject() + " puts them in bags of " + bagSize + ".");
            long bags = s.calc(c.subject() + " fills", cookies, '/', bagSize, "bags");
            if (d == 2) {
                s.say("How many bags does " + c.subjectLower() + " fill?");
                return;
            }
            s.say(c.subject() + " sells each bag for $" + price + ".");
            long money = s.calc(c.subject() + " makes", bags, '*', price, "dollars");
            if (d == 3) {
                s.say("How much money does " + c.subjectLower() + " make?");
                return;
            }
            s.say("The flour cost $" + flour + ".");
            s.calc(c.subject() + " keeps", money, '-', flour, "dollars");
            s.say("How much does " + c.subjectLower() + " keep after paying for the flour?");
        }
    };

    /** Tells the first {@code d} steps into {@code s}; throws {@link Story.Reject} if the numbers do not fit. */
    abstract void tell(Story s, SplittableRandom r, Cast c, int d);

    /** Lower-case name for metadata. */
    String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static long between(SplittableRandom r, long lo, long hi) {
        return r.nextLong(lo, hi + 1);
    }
}
