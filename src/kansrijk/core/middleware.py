from django.conf import settings
from django.utils import translation


class ChosenLanguageMiddleware:
    """Dutch unless the user chose another language (the language cookie set by the language switch).

    Django's LocaleMiddleware would follow the browser's Accept-Language, giving an English interface to a Dutch
    civil servant whose laptop happens to be set to English; Kansrijk speaks Dutch unless asked otherwise.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
