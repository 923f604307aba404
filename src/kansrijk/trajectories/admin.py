"""Providers (aanbieders) and their users are managed in /beheer/ by the functional administrator."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kansrijk.accounts.roles import Role

from .models import Provider, ProviderMember


class ProviderMemberForm(forms.ModelForm):
    class Meta:
        model = ProviderMember
        fields = ["user"]

    def clean_user(self):
        user = self.cleaned_data["user"]
        if user.role != Role.AANBIEDER:
            raise forms.ValidationError(_("Alleen gebruikers met de rol re-integratieaanbieder horen bij een "
                                          "aanbieder."))
        return user


class ProviderMemberInline(admin.TabularInline):
    model = ProviderMember
    form = ProviderMemberForm
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "kvk_number", "contact_person", "active"]
    list_filter = ["active", "municipalities"]
    search_fields = ["name", "kvk_number"]
    filter_horizontal = ["municipalities"]
    inlines = [ProviderMemberInline]
