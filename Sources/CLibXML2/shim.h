#ifndef CLIBXML2_SHIM_H
#define CLIBXML2_SHIM_H
/* libxml2's XML Schema validator, used by the tests only (JUnit output checked against Tests/Fixtures/junit/junit.xsd). */
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#endif
