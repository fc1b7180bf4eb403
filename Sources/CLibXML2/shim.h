#ifndef CLIBXML2_SHIM_H
#define CLIBXML2_SHIM_H
/* libxml2's XML Schema validator, used by the tests only (JUnit output checked against Tests/Fixtures/junit/junit.xsd).
 * Debian's libxml2 is built with ICU, whose headers clash with the copy of ICU inside Foundation; the tests use no
 * encoding handler, so ICU's declarations are left out (only the layout of xmlCharEncodingHandler changes). */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#endif
