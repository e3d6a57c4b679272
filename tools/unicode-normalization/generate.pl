#!/usr/bin/perl
# Writes the Unicode normalization data ForgetLab's NFC/NFD/NFKC/NFKD need (the runtime runs with invariant
# globalization, where string.Normalize does nothing): canonical combining classes, full canonical and
# compatibility decompositions, and the primary composites. The data comes from Perl's own Unicode database
# (Unicode::Normalize / Unicode::UCD, Perl's licence; Unicode data under the Unicode licence).
#   usage: perl tools/unicode-normalization/generate.pl > src/ForgetLab.Core/Tokenizers/Normalization/unicode-normalization.txt
use strict; use warnings;
use Unicode::Normalize qw(getCombinClass getCanon getCompat getComposite);
use Unicode::UCD;
binmode STDOUT;
print "# Unicode ", Unicode::UCD::UnicodeVersion(), " normalization data, from Perl's Unicode::Normalize (tools/unicode-normalization/generate.pl)\n";
print "# C cp ccc | D cp seq (full canonical) | K cp seq (full compatibility, where it differs) | P a b composite\n";
for my $cp (0 .. 0x10FFFF) {
  next if $cp >= 0xD800 && $cp <= 0xDFFF;
  next if $cp >= 0xAC00 && $cp <= 0xD7A3; # Hangul syllables are algorithmic
  my $ccc = getCombinClass($cp);
  printf "C %X %d\n", $cp, $ccc if $ccc;
  my $canon = getCanon($cp);
  printf "D %X %s\n", $cp, join(" ", map { sprintf "%X", $_ } unpack("U*", $canon)) if defined $canon;
  my $compat = getCompat($cp);
  printf "K %X %s\n", $cp, join(" ", map { sprintf "%X", $_ } unpack("U*", $compat)) if defined $compat && (!defined $canon || $compat ne $canon);
}
# Primary composites: a pair whose canonical composition is a single code point, less the composition exclusions.
for my $cp (0 .. 0x10FFFF) {
  next if $cp >= 0xD800 && $cp <= 0xDFFF;
  next if $cp >= 0xAC00 && $cp <= 0xD7A3;
  my $decomp = Unicode::UCD::charinfo($cp);
  next unless $decomp && $decomp->{decomposition} && $decomp->{decomposition} !~ /^</;
  my @parts = map { hex } split / /, $decomp->{decomposition};
  next unless @parts == 2;
  my $c = getComposite($parts[0], $parts[1]);
  printf "P %X %X %X\n", $parts[0], $parts[1], $c if defined $c && $c == $cp && !Unicode::Normalize::isComp_Ex($cp);
}
