/* version: the one place the version number lives. */
#ifndef TOES_VERSION_H
#define TOES_VERSION_H

#define TOES_VERSION "0.1.0"

#endif
