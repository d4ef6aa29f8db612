"""La causa de un error del sistema (`OSError`) en castellano, para los mensajes a quien usa
el programa. El texto del sistema (`strerror`) sale en el idioma de la biblioteca de C de la
máquina, casi siempre en inglés; aquí van las causas que un planificador puede encontrar al
leer o escribir sus archivos."""
from __future__ import annotations

import errno

__all__ = ["causa"]

_CAUSAS = {
    errno.EACCES: "permiso denegado",
    errno.EPERM: "operación no permitida",
    errno.ENOENT: "no existe",
    errno.ENOTDIR: "una parte de la ruta no es una carpeta",
    errno.EISDIR: "es una carpeta",
    errno.EEXIST: "ya existe",
    errno.ENOTEMPTY: "la carpeta no está vacía",
    errno.ENOSPC: "no queda espacio en el disco",
    errno.EDQUOT: "se agotó la cuota de disco",
    errno.EROFS: "el disco es de sólo lectura",
    errno.EBUSY: "está en uso",
    errno.ETXTBSY: "está en uso",
    errno.ENAMETOOLONG: "el nombre es demasiado largo",
    errno.ELOOP: "demasiados enlaces simbólicos seguidos",
    errno.EMFILE: "demasiados archivos abiertos",
    errno.ENFILE: "demasiados archivos abiertos",
    errno.EIO: "error de lectura o escritura en el disco",
    errno.EXDEV: "está en otro disco",
}


def causa(error: OSError) -> str:
    """'permiso denegado', 'no queda espacio en el disco'…; para un código que no está en la
    lista, su nombre y el texto del sistema ('error del sistema ECOMM (Communication error
    on send)'); sin código, el texto del error."""
    if error.errno is None:
        return str(error)
    if error.errno in _CAUSAS:
        return _CAUSAS[error.errno]
    nombre = errno.errorcode.get(error.errno, str(error.errno))
    return f"error del sistema {nombre} ({error.strerror})" if error.strerror else \
        f"error del sistema {nombre}"
